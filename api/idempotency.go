package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/weaklink/weaklink/internal/register"
)

// Safe retries: a POST sent with an Idempotency-Key header (IETF HTTPAPI draft "The
// Idempotency-Key HTTP Header Field", with the semantics Stripe and others give it).
//
//   - The same key, from the same API key, with the same request (method, path and
//     query, SHA-256 of the body) within register.IdempotencyTTL answers the first
//     response again, status included, with `Idempotent-Replayed: true`.
//   - The same key with another request is 422 problem-idempotency-mismatch.
//   - A retry arriving while the first request runs waits for it up to
//     idempotencyWait, then replays it, or answers 409 with `Retry-After: 1`.
//   - 2xx and 4xx answers are kept, but 429 and 5xx, which a retry should repeat, are
//     not (nor an answer to a client that left).
//   - The running request holds the key under a lease (register.IdempotencyLease):
//     if it dies with its process, a retry after the lease runs the request again.
//   - An answer carrying a secret (a new API key) is kept without its body: a retry
//     answers 409 "already created" with its Location, never the secret again; so is
//     an answer too large to keep (over maxKeptResponse), rather than run twice.
//
// Records live in the database, so a retry may land on any replica; expired ones
// are purged by `serve` (register.Service.PurgeIdempotencyKeys).

// IdempotencyService keeps the responses of requests sent with an Idempotency-Key.
type IdempotencyService interface {
	ClaimIdempotencyKey(context.Context, register.IdempotentRequest) (register.IdempotencyState, register.StoredResponse, error)
	LookupIdempotencyKey(context.Context, register.IdempotentRequest) (register.IdempotencyState, register.StoredResponse, error)
	FinishIdempotencyKey(context.Context, register.IdempotentRequest, register.StoredResponse) error
	ReleaseIdempotencyKey(context.Context, register.IdempotentRequest) error
}

const (
	idempotencyHeader = "Idempotency-Key"
	// idempotencyWait is how long a retry waits for the first request to finish.
	idempotencyWait = 10 * time.Second
	// idempotencyPoll is how soon a waiting retry first looks again; it waits twice
	// as long each time, up to idempotencyPollMax.
	idempotencyPoll    = 50 * time.Millisecond
	idempotencyPollMax = time.Second
	// maxKeptResponse bounds the body kept for replays; a larger one is not kept.
	maxKeptResponse = 4 << 20
	// maxHeldBody is how much of a request body is held in memory to fingerprint it;
	// a larger one (a spreadsheet import) goes to a temporary file.
	maxHeldBody = MaxJSONBody
)

// replayedHeaders are the response headers a replay gives back.
var replayedHeaders = []string{"Content-Type", "Location", "ETag"}

type idempotency struct {
	svc IdempotencyService
	log *slog.Logger
}

// middleware makes one POST route idempotent under the header; maxBody is the
// route's body limit, secret says its success answers carry a secret.
func (h *idempotency) middleware(maxBody int64, secret bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		key, sent := c.Request.Header[http.CanonicalHeaderKey(idempotencyHeader)]
		if !sent {
			c.Next()
			return
		}
		k := key[0]
		if len(k) >= 2 && k[0] == '"' && k[len(k)-1] == '"' { // the draft's structured-field string
			k = k[1 : len(k)-1]
		}
		if len(key) != 1 || !validIdempotencyKey(k) {
			invalid(c, register.FieldError{Field: idempotencyHeader,
				Message: "must be sent once, 1 to 255 visible ASCII characters (a UUID, say)"})
			return
		}
		if c.Request.ContentLength > maxBody {
			writeProblem(c, http.StatusRequestEntityTooLarge, "The request body is larger than this route accepts.")
			return
		}
		actor, _ := actorOf(c)
		fp, cleanup, err := fingerprint(c, maxBody)
		defer cleanup()
		if err != nil {
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig):
				writeProblem(c, http.StatusRequestEntityTooLarge, "The request body is larger than this route accepts.")
			case c.Request.Context().Err() != nil:
				writeError(c, h.log, err)
			default:
				writeProblem(c, http.StatusBadRequest, "The request body could not be read.")
			}
			return
		}
		owner := make([]byte, 16)
		if _, err := rand.Read(owner); err != nil {
			writeError(c, h.log, err)
			return
		}
		req := register.IdempotentRequest{APIKeyID: actor.KeyID, Key: k, Fingerprint: fp, Path: c.Request.URL.Path,
			Owner: hex.EncodeToString(owner)}
		ctx := c.Request.Context()
		state, resp, err := h.svc.ClaimIdempotencyKey(ctx, req)
		deadline := time.Now().Add(idempotencyWait)
		poll := idempotencyPoll
		for err == nil && state == register.IdempotencyRunning && time.Now().Before(deadline) {
			t := time.NewTimer(min(poll, time.Until(deadline)))
			poll = min(2*poll, idempotencyPollMax)
			select {
			case <-ctx.Done():
				t.Stop()
				err = ctx.Err()
				continue
			case <-t.C:
			}
			if state, resp, err = h.svc.LookupIdempotencyKey(ctx, req); err == nil && state == register.IdempotencyNew {
				state, resp, err = h.svc.ClaimIdempotencyKey(ctx, req) // the first gave the key up: this one runs
			}
		}
		switch {
		case err != nil:
			writeError(c, h.log, err)
		case state == register.IdempotencyMismatch:
			writeProblem(c, http.StatusUnprocessableEntity, "This Idempotency-Key was first sent with another request "+
				"(method, path or body): use a new key for a new request.")
		case state == register.IdempotencyRunning:
			c.Header("Retry-After", "1")
			writeProblem(c, http.StatusConflict, "A request with this Idempotency-Key is still being processed; "+
				"send it again in a second to get its answer.")
		case state == register.IdempotencyDone:
			replay(c, resp)
		default:
			h.run(c, req, secret)
		}
	}
}

// run runs the request and keeps its answer for the retries, or gives the key up
// when a retry should run it again.
func (h *idempotency) run(c *gin.Context, req register.IdempotentRequest, secret bool) {
	keep := context.WithoutCancel(c.Request.Context())
	finished := false
	defer func() {
		if !finished { // a panic: let a retry run it again
			if err := h.svc.ReleaseIdempotencyKey(keep, req); err != nil {
				h.log.Error("idempotency key not released", "request_id", c.GetString(ctxRequestID), "error", err)
			}
		}
	}()
	w := &teeWriter{ResponseWriter: c.Writer}
	c.Writer = w
	c.Next()
	c.Writer = w.ResponseWriter
	finished = true

	status := w.Status()
	if status >= 500 || status == http.StatusTooManyRequests || status == statusClientClosed {
		if err := h.svc.ReleaseIdempotencyKey(keep, req); err != nil {
			h.log.Error("idempotency key not released", "request_id", c.GetString(ctxRequestID), "error", err)
		}
		return
	}
	resp := register.StoredResponse{Status: status, Headers: map[string]string{}, Body: w.body.Bytes(),
		Secret: secret && status < 300 || w.over}
	for _, name := range replayedHeaders {
		if v := w.Header().Get(name); v != "" {
			resp.Headers[name] = v
		}
	}
	// Kept, or (should that fail twice) left to its lease: a retry then waits, and
	// runs the request again only once the lease has passed — never at once, which
	// could do the work twice.
	err := h.svc.FinishIdempotencyKey(keep, req, resp)
	if err != nil {
		err = h.svc.FinishIdempotencyKey(keep, req, resp)
	}
	if err != nil {
		h.log.Error("idempotency key response not kept; the key is held until its lease passes",
			"request_id", c.GetString(ctxRequestID), "error", err)
	}
}

// replay answers a retry with the first request's answer; one that carried a
// secret is 409 "already created", with its Location and without the secret.
func replay(c *gin.Context, resp register.StoredResponse) {
	c.Header("Idempotent-Replayed", "true")
	if resp.Secret {
		if loc := resp.Headers["Location"]; loc != "" {
			c.Header("Location", loc)
		}
		writeProblem(c, http.StatusConflict, "This request was already carried out with this Idempotency-Key "+
			"(what it created is at the Location header, if any). Its answer is not kept, because it carried a secret, "+
			"shown only once, or was too large: if a secret was lost, revoke that key and create another.")
		return
	}
	for name, v := range resp.Headers {
		c.Header(name, v)
	}
	c.Status(resp.Status)
	_, _ = c.Writer.Write(resp.Body)
	c.Abort()
}

// validIdempotencyKey: 1 to 255 visible ASCII characters.
func validIdempotencyKey(k string) bool {
	if k == "" || len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// fingerprint is the SHA-256 of the request's method, path and query, its If-Match
// and Content-Type (a retry with another precondition or media type is another
// request), and its body; it
// reads the body (at most maxBody bytes: more is a *http.MaxBytesError) and puts
// it back for the handler, in memory or, past maxHeldBody, in a temporary file that
// cleanup removes.
func fingerprint(c *gin.Context, maxBody int64) (string, func(), error) {
	cleanup := func() {}
	hash := sha256.New()
	io.WriteString(hash, c.Request.Method+" "+c.Request.URL.RequestURI()+"\n"+
		"If-Match: "+c.GetHeader("If-Match")+"\nContent-Type: "+c.GetHeader("Content-Type")+"\n\n")
	body := http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	var held bytes.Buffer
	n, err := io.Copy(io.MultiWriter(hash, &held), io.LimitReader(body, maxHeldBody+1))
	if err != nil {
		return "", cleanup, err
	}
	if n <= maxHeldBody {
		c.Request.Body = io.NopCloser(&held)
		return hex.EncodeToString(hash.Sum(nil)), cleanup, nil
	}
	f, err := os.CreateTemp("", "weaklink-request-*")
	if err != nil {
		return "", cleanup, err
	}
	cleanup = func() { _ = f.Close(); _ = os.Remove(f.Name()) }
	if _, err := f.Write(held.Bytes()); err != nil {
		return "", cleanup, err
	}
	if _, err := io.Copy(io.MultiWriter(hash, f), body); err != nil {
		return "", cleanup, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", cleanup, err
	}
	c.Request.Body = io.NopCloser(f)
	return hex.EncodeToString(hash.Sum(nil)), cleanup, nil
}

// teeWriter passes an answer through and keeps a copy of its body (up to
// maxKeptResponse; over says it was larger).
type teeWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
	over bool
}

func (w *teeWriter) Write(b []byte) (int, error) {
	if !w.over {
		if w.body.Len()+len(b) > maxKeptResponse {
			w.over, w.body = true, bytes.Buffer{}
		} else {
			w.body.Write(b)
		}
	}
	return w.ResponseWriter.Write(b)
}

func (w *teeWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }
