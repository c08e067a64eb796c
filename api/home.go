package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// homePage is GET /: what the service is and where to go next. Static, no scripts,
// no external assets; served with the Content-Security-Policy of the reference
// pages (docsCSP).
const homePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>weaklink</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:16px/1.55 system-ui,sans-serif;margin:0 auto;max-width:44rem;padding:1.5rem 2rem;color:#1b1f24}
h1{margin-bottom:.2rem}code{font:14px ui-monospace,monospace;background:#f4f5f7;padding:.1rem .3rem;border-radius:3px}
li{margin:.3rem 0}
</style></head><body>
<h1>weaklink</h1>
<p>A third-party supplier risk register: which suppliers hold which categories of
personal data and pass them on to which sub-processors, each supplier's security
posture from questionnaires, the weakest links in the supply chain, what is exposed
when a supplier reports an incident, and a quarterly risk report.</p>
<p>The API is under <code>/api/v1</code>; every call but the ones below needs an API key
(<code>Authorization: Bearer …</code>).</p>
<ul>
<li><a href="/docs/reference">Interactive API reference</a>: every operation with its schemas and
examples, a search box, and a console that sends requests with your API key</li>
<li><a href="/docs">API reference without scripts</a>: every operation, its parameters and the problem types</li>
<li><a href="/openapi.yaml">openapi.yaml</a>: the contract</li>
<li><a href="/healthz">/healthz</a>: the process is up</li>
<li><a href="/readyz">/readyz</a>: the database answers and is migrated</li>
<li><a href="/metrics">/metrics</a>: Prometheus metrics</li>
</ul>
</body></html>
`

// home serves GET /.
func home(c *gin.Context) {
	c.Header("Content-Security-Policy", docsCSP)
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(homePage))
}
