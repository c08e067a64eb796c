package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The report's viewport and screenshot: the size docs/report.md has always shown.
const reportWidth, reportHeight = 1200, 1800

// reportTitle and reportSections are the HTML report's headings
// (internal/report/report.html.tmpl), the sections in their order.
const reportTitle = "weaklink quarterly supplier risk report"

var reportSections = []string{
	"Portfolio summary", "Weakest links", "Exposure matrix", "Assessments", "Incidents this quarter",
	"Expiring next quarter", "Accepted risks", "Changes since the previous report", "Appendix: all suppliers",
}

// checkReport gets this quarter's HTML report as a person does: the browser opens
// the URL serve --demo printed, with the demo key sent as Authorization: Bearer on
// that navigation only; the service answers it as a file to save (Content-Disposition:
// attachment), so the browser saves it, and the tab then opens the saved file. It
// checks that the page is this quarter's report with every section, that its
// screenshot is not blank, and, on the tab's events, that the report loads nothing
// (it is self-contained) and nothing failed.
func checkReport(browserCtx context.Context, srv *service, dir string) (report []string, shot []byte, err error) {
	m := newMonitor(srv.addr)
	tab, closeTab, err := openTab(browserCtx, m)
	if err != nil {
		return nil, nil, err
	}
	defer closeTab()
	say := func(format string, args ...any) { report = append(report, fmt.Sprintf(format, args...)) }

	saved, err := download(tab, srv.base()+srv.reportPath, srv.key, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("download this quarter's report: %w", err)
	}
	resp := m.response(srv.base() + srv.reportPath)
	if resp == nil || resp.Status != 200 || !strings.HasPrefix(resp.MimeType, "text/html") ||
		!strings.HasPrefix(header(resp.Headers, "Content-Disposition"), "attachment") {
		return nil, nil, fmt.Errorf("the browser's request for %s: want 200 text/html as an attachment, got %+v", srv.reportPath, resp)
	}
	say("GET %s with the demo key: 200 %s, %s; the browser saved it", srv.reportPath, resp.MimeType,
		header(resp.Headers, "Content-Disposition"))

	fileURL := (&url.URL{Scheme: "file", Path: saved}).String()
	m.allow(fileURL, "the saved file")
	if _, err := step(tab, time.Minute, "open the saved report", chromedp.EmulateViewport(reportWidth, reportHeight),
		chromedp.NavigateResponse(fileURL)); err != nil {
		return nil, nil, err
	}
	doc, err := step(tab, time.Minute, "read the report's headings", nil, chromedp.Evaluate[reportPage](`({title: document.title, h1: (document.querySelector('h1') || {textContent: ''}).textContent.trim(),
	     sections: Array.from(document.querySelectorAll('h2'), h => h.textContent.trim())})`))
	if err != nil {
		return nil, nil, err
	}
	quarter, err := quarterOf(srv.asOf)
	if err != nil {
		return nil, nil, err
	}
	if doc.H1 != reportTitle || !strings.Contains(doc.Title, quarter) {
		return nil, nil, fmt.Errorf("the report's heading is %q and its title %q; want %q and the quarter %s",
			doc.H1, doc.Title, reportTitle, quarter)
	}
	if missing := notInOrder(reportSections, doc.Sections); len(missing) > 0 {
		return nil, nil, fmt.Errorf("the report lacks the section(s) %s, in order (its headings: %s)",
			strings.Join(missing, ", "), strings.Join(doc.Sections, "; "))
	}
	say("%q, %s: the heading and the %d sections, in order", doc.H1, quarter, len(reportSections))

	shot, err = step(tab, time.Minute, "screenshot of the report", nil, chromedp.CaptureScreenshot())
	if err != nil {
		return nil, nil, err
	}
	look, err := notBlank(shot, reportWidth, reportHeight)
	if err != nil {
		return nil, shot, fmt.Errorf("the report's screenshot: %w", err)
	}
	say("screenshot %d×%d, not blank: %s", reportWidth, reportHeight, look)

	seen, err := m.result()
	if err != nil {
		return nil, shot, fmt.Errorf("the report: %w", err)
	}
	say("on the tab's events: %s", seen)
	return report, shot, nil
}

// download makes the browser fetch rawURL with the key as Authorization: Bearer,
// that request only, and save the answer, a file, into a new folder under dir; it
// returns the saved file's path.
func download(tab context.Context, rawURL, key, dir string) (string, error) {
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	into, err := os.MkdirTemp(dir, "downloads-")
	if err != nil {
		return "", err
	}
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: into, EventsEnabled: new(true)}); err != nil {
		return "", err
	}
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress) // before the navigation: nothing is missed
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders,
		network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": "Bearer " + key}}); err != nil {
		return "", err
	}
	nav, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: rawURL})
	// The key was for that navigation only: nothing the tab loads later gets it.
	if _, cerr := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{}}); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if !nav.IsDownload {
		return "", fmt.Errorf("the browser did not save the answer as a file (%s)", nav.ErrorText)
	}
	for ev, err := range progress {
		if err != nil {
			return "", err
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			if ev.FilePath == "" {
				return "", errors.New("the download completed without a file path")
			}
			return ev.FilePath, nil
		case browser.DownloadProgressStateCanceled:
			return "", errors.New("the download was canceled")
		}
	}
	return "", errors.New("no end of the download")
}

// reportPage is what the check reads of the report's page.
type reportPage struct {
	Title    string   `json:"title"`
	H1       string   `json:"h1"`
	Sections []string `json:"sections"`
}

// quarterOf is the calendar quarter of a day, 2026-Q4.
func quarterOf(day string) (string, error) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return "", fmt.Errorf("serve --demo printed no date the demo describes (%q)", day)
	}
	return fmt.Sprintf("%d-Q%d", d.Year(), (int(d.Month())-1)/3+1), nil
}

// notInOrder lists the wanted headings that are not found in got in their order.
func notInOrder(want, got []string) []string {
	var missing []string
	i := 0
	for _, w := range want {
		j := i
		for j < len(got) && got[j] != w {
			j++
		}
		if j == len(got) {
			missing = append(missing, w)
			continue
		}
		i = j + 1
	}
	return missing
}
