// The browser check of weaklink: its own module, outside the product's ./... . It drives
// headless Chromium with chromedp; the product never imports it.
module weaklink.ci/browser

go 1.26.0

require (
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/goccy/go-yaml v1.19.2
)

require github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
