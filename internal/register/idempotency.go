package register

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/weaklink/weaklink/internal/store"
)

// IdempotencyTTL is how long the response to a request sent with an
// Idempotency-Key is kept for its retries (IETF HTTPAPI draft "The Idempotency-Key
// HTTP Header Field"; 24 hours, as the draft suggests and common APIs do).
const IdempotencyTTL = 24 * time.Hour

// IdempotentRequest is a request sent with an Idempotency-Key: the API key that
// sent it, the key, and the SHA-256 fingerprint of its method, path and body.
type IdempotentRequest struct {
	APIKeyID, Key, Fingerprint, Path string
}

// StoredResponse is the response to a key's first request, kept for its retries.
// A response that carried a secret is kept without its body (Secret).
type StoredResponse struct {
	Status  int
	Headers map[string]string
	Body    []byte
	Secret  bool
}

// IdempotencyState is what a key's record says about a request sent with it.
type IdempotencyState int

const (
	// IdempotencyNew: no request was sent with the key (or its record expired); the
	// caller now holds it, runs the request, then FinishIdempotencyKey or
	// ReleaseIdempotencyKey.
	IdempotencyNew IdempotencyState = iota
	// IdempotencyMismatch: the key was first sent with another request.
	IdempotencyMismatch
	// IdempotencyRunning: the key's first request has not finished.
	IdempotencyRunning
	// IdempotencyDone: the key's first request finished; its response is returned.
	IdempotencyDone
)

// ClaimIdempotencyKey looks the key up and, when no live record has it, records it
// for this request, in one write transaction: of requests racing with one key,
// exactly one gets IdempotencyNew.
func (s *Service) ClaimIdempotencyKey(ctx context.Context, r IdempotentRequest) (IdempotencyState, StoredResponse, error) {
	var (
		state IdempotencyState
		resp  StoredResponse
	)
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		now := s.now()
		row, err := tx.GetIdempotencyKey(r.APIKeyID, r.Key)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			return err
		case !row.ExpiresAt.After(now):
			if err := tx.DeleteIdempotencyKey(r.APIKeyID, r.Key); err != nil {
				return err
			}
		default:
			state, resp, err = idempotencyStateOf(row, r)
			return err
		}
		state = IdempotencyNew
		return tx.InsertIdempotencyKey(store.IdempotencyRow{APIKeyID: r.APIKeyID, IdempotencyKey: r.Key,
			Fingerprint: r.Fingerprint, RequestPath: r.Path, CreatedAt: now, ExpiresAt: now.Add(IdempotencyTTL)})
	})
	return state, resp, err
}

// LookupIdempotencyKey reads what the key's live record says, without claiming it:
// IdempotencyNew when there is none.
func (s *Service) LookupIdempotencyKey(ctx context.Context, r IdempotentRequest) (IdempotencyState, StoredResponse, error) {
	var (
		state IdempotencyState
		resp  StoredResponse
	)
	err := s.st.Read(ctx, func(tx *store.Tx) error {
		row, err := tx.GetIdempotencyKey(r.APIKeyID, r.Key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			state = IdempotencyNew
			return nil
		case err != nil:
			return err
		case !row.ExpiresAt.After(s.now()):
			state = IdempotencyNew
			return nil
		}
		state, resp, err = idempotencyStateOf(row, r)
		return err
	})
	return state, resp, err
}

func idempotencyStateOf(row store.IdempotencyRow, r IdempotentRequest) (IdempotencyState, StoredResponse, error) {
	switch {
	case row.Fingerprint != r.Fingerprint:
		return IdempotencyMismatch, StoredResponse{}, nil
	case row.ResponseStatus == nil:
		return IdempotencyRunning, StoredResponse{}, nil
	}
	resp := StoredResponse{Status: *row.ResponseStatus, Secret: row.Secret}
	if row.ResponseHeaders != nil {
		if err := json.Unmarshal([]byte(*row.ResponseHeaders), &resp.Headers); err != nil {
			return 0, StoredResponse{}, err
		}
	}
	if row.ResponseBody != nil {
		resp.Body = []byte(*row.ResponseBody)
	}
	return IdempotencyDone, resp, nil
}

// FinishIdempotencyKey stores the response of the key's first request for its
// retries; a response carrying a secret is stored without its body.
func (s *Service) FinishIdempotencyKey(ctx context.Context, r IdempotentRequest, resp StoredResponse) error {
	h, err := json.Marshal(resp.Headers)
	if err != nil {
		return err
	}
	headers := string(h)
	var body *string
	if !resp.Secret {
		b := string(resp.Body)
		body = &b
	}
	return s.st.Write(ctx, func(tx *store.Tx) error {
		return tx.CompleteIdempotencyKey(r.APIKeyID, r.Key, resp.Status, &headers, body, resp.Secret)
	})
}

// ReleaseIdempotencyKey forgets the key, so that a retry runs the request again
// (its first run failed with a server error, or was rate limited).
func (s *Service) ReleaseIdempotencyKey(ctx context.Context, r IdempotentRequest) error {
	return s.st.Write(ctx, func(tx *store.Tx) error { return tx.DeleteIdempotencyKey(r.APIKeyID, r.Key) })
}

// PurgeIdempotencyKeys deletes the records that expired, and says how many.
func (s *Service) PurgeIdempotencyKeys(ctx context.Context) (int64, error) {
	var n int64
	err := s.st.Write(ctx, func(tx *store.Tx) (err error) {
		n, err = tx.DeleteExpiredIdempotencyKeys(s.now())
		return err
	})
	return n, err
}
