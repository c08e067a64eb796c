package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// BenchmarkConditional measures what holding back and tagging costs a large JSON
// answer (a 500-item page of about 600 KB), against the same answer written
// straight through: compare the two sub-benchmarks' ns/op, measured in one run.
func BenchmarkConditional(b *testing.B) {
	var page bytes.Buffer
	page.WriteString(`{"items":[`)
	for i := range 500 {
		if i > 0 {
			page.WriteByte(',')
		}
		fmt.Fprintf(&page, `{"id":"01936b2e-5f4a-7c3d-9e8f-%012d","version":3,"name":"Supplier %d","criticality":"high",`+
			`"status":"active","country":"GB","services":"bulk email and printing of membership packs","website":"",`+
			`"security_contact":"security@supplier%d.example","risk":{"data_in_care":{"records":1350000,"people":{"at_least":600000,"at_most":600000}},`+
			`"inherent":80.64,"posture":40,"posture_provisional":false,"residual":54.84,"tier":"high"},"notes":"",`+
			`"created_at":"2026-11-23T09:00:00Z","updated_at":"2026-11-23T09:00:00Z"}`, i, i, i)
	}
	page.WriteString(`],"next_cursor":null}`)
	body := page.Bytes()
	gin.SetMode(gin.ReleaseMode)
	for _, tc := range []struct {
		name string
		mw   []gin.HandlerFunc
	}{{"straight", nil}, {"tagged", []gin.HandlerFunc{conditional}}} {
		e := gin.New()
		e.Use(tc.mw...)
		e.GET("/page", func(c *gin.Context) { c.Data(http.StatusOK, "application/json; charset=utf-8", body) })
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for range b.N {
				w := httptest.NewRecorder()
				e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/page", nil))
				if w.Code != http.StatusOK || w.Body.Len() != len(body) {
					b.Fatalf("%d, %d bytes", w.Code, w.Body.Len())
				}
			}
		})
	}
}
