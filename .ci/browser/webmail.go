package main

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"sync"
	"time"
)

// webmail is a stand-in for the supplier's webmail: a tiny HTTP server on another
// loopback port, reached as http://localhost:<port>, while the service is reached
// as http://127.0.0.1:<port>. Different hosts, so to the browser another site (an
// IP address is a site of its own; localhost is not 127.0.0.1), and a link clicked
// on its pages is a cross-site navigation, as from a real webmail. Each mail is a
// page at its own path, holding one link; the pages load nothing else (their own
// policy is default-src 'none' but for the icon, a data: URL, so that the browser
// asks for no /favicon.ico).
type webmail struct {
	srv   *http.Server
	port  int
	mu    sync.Mutex
	mails map[string]mail // by path
	hits  map[string]int  // GETs of each mail
}

// mail is one message: who sent it, its subject, a paragraph, and the link.
type mail struct {
	From, Subject, Body, LinkID, LinkText, Link string
}

var mailPage = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Subject}} - Webmail</title>
<link rel="icon" href="data:,"></head>
<body><h1>Inbox</h1>
<article><h2>{{.Subject}}</h2><p>From: {{.From}}</p>
<p>{{.Body}}</p>
<p><a id="{{.LinkID}}" href="{{.Link}}">{{.LinkText}}</a></p></article>
</body></html>`))

// startWebmail listens on a free port of 127.0.0.1 and serves the mails.
func startWebmail(mails map[string]mail) (*webmail, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("webmail: %w", err)
	}
	w := &webmail{port: ln.Addr().(*net.TCPAddr).Port, mails: mails, hits: map[string]int{}}
	w.srv = &http.Server{Handler: http.HandlerFunc(w.serve), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = w.srv.Serve(ln) }()
	return w, nil
}

// url is the address of the mail at path, as the browser opens it.
func (w *webmail) url(path string) string { return fmt.Sprintf("http://localhost:%d%s", w.port, path) }

func (w *webmail) serve(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	m, ok := w.mails[r.URL.Path]
	if ok && r.Method == http.MethodGet {
		w.hits[r.URL.Path]++
	}
	w.mu.Unlock()
	if !ok || r.Method != http.MethodGet {
		http.NotFound(rw, r) // the tab's monitor reports it: the check asked for nothing else
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Content-Security-Policy", "default-src 'none'; img-src data:")
	rw.Header().Set("Cache-Control", "no-store")
	if err := mailPage.Execute(rw, m); err != nil {
		panic(err)
	}
}

// opened is how many times the mail at path was fetched.
func (w *webmail) opened(path string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hits[path]
}

func (w *webmail) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := w.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
