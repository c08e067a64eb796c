package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// apiFlags name the service under load and the key to call it with.
type apiFlags struct {
	base   string
	keyEnv string
}

func (a *apiFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.base, "base", "", "the service's base URL, http://127.0.0.1:PORT")
	fs.StringVar(&a.keyEnv, "key-env", "WEAKLINK_LOAD_KEY", "environment variable holding the API key")
}

// client returns an API client for conns concurrent connections.
func (a *apiFlags) client(conns int) (*client, error) {
	u, err := url.Parse(a.base)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("-base must be http://127.0.0.1:PORT, not %q", a.base)
	}
	if err := loopbackOnly(u.Host); err != nil {
		return nil, err
	}
	key := os.Getenv(a.keyEnv)
	if key == "" {
		return nil, fmt.Errorf("%s is empty: it must hold an API key", a.keyEnv)
	}
	return newClient(strings.TrimRight(a.base, "/"), key, conns), nil
}

// client calls the API with one key over a pool of keep-alive connections.
type client struct {
	base, key string
	http      *http.Client
}

func newClient(base, key string, conns int) *client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     time.Minute,
	}
	return &client{base: base, key: key, http: &http.Client{Transport: tr, Timeout: 2 * time.Minute}}
}

// withKey is the same client calling with another key.
func (c *client) withKey(key string) *client { return &client{base: c.base, key: key, http: c.http} }

// answer is a response read whole.
type answer struct {
	status int
	etag   string
	body   []byte
	took   time.Duration
}

// do sends one request and reads its answer; took covers the request from its
// start to the last byte of the answer.
func (c *client) do(ctx context.Context, method, path string, body any, header map[string]string) (answer, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return answer{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return answer{}, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	if err != nil {
		return answer{}, err
	}
	return answer{status: resp.StatusCode, etag: resp.Header.Get("ETag"), body: b, took: took}, nil
}

// json sends one request that must answer 2xx and decodes its JSON answer into out.
func (c *client) json(ctx context.Context, method, path string, body, out any) error {
	a, err := c.do(ctx, method, path, body, nil)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if a.status/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, a.status, strings.TrimSpace(string(a.body)))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	return nil
}

// readIDs reads a file of supplier ids, one a line.
func readIDs(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			ids = append(ids, l)
		}
	}
	if len(ids) == 0 {
		return nil, errors.New(path + " holds no id")
	}
	return ids, nil
}

// jsonBody decodes an answer's JSON body.
func jsonBody(a answer, out any) error {
	if err := json.Unmarshal(a.body, out); err != nil {
		return fmt.Errorf("decode answer (status %d): %w", a.status, err)
	}
	return nil
}
