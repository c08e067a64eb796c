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

// IdempotencyLease is how long a request holds its key while it runs: a little over
// the longest a request may run (the server's write timeout, five minutes). A retry
// after it may take the key over, so a key whose first request died with its
// process (or whose answer could not be kept) is not stuck for IdempotencyTTL.
const IdempotencyLease = 6 * time.Minute

// IdempotentRequest is a request sent with an Idempotency-Key: the API key that
// sent it, the key, the SHA-256 fingerprint of its method, path, preconditions and
// body, and Owner, a random token naming this very request (it holds the key while
// it runs).
type IdempotentRequest struct {
	APIKeyID, Key, Fingerprint, Path, Owner string
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

// ClaimIdempotencyKey looks the key up and, when no live record has it (or its
// first request's lease has passed), records it for this request, in one write
// transaction: of requests racing with one key, exactly one gets IdempotencyNew.
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
			if err == nil && state == IdempotencyRunning && !row.LockedUntil.After(now) {
				state = IdempotencyNew // the first request's lease passed: this one runs it
				return tx.TakeOverIdempotencyKey(r.APIKeyID, r.Key, r.Owner, now.Add(IdempotencyLease))
			}
			return err
		}
		state = IdempotencyNew
		return tx.InsertIdempotencyKey(store.IdempotencyRow{APIKeyID: r.APIKeyID, IdempotencyKey: r.Key,
			Fingerprint: r.Fingerprint, RequestPath: r.Path, Owner: r.Owner, LockedUntil: now.Add(IdempotencyLease),
			CreatedAt: now, ExpiresAt: now.Add(IdempotencyTTL)})
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
		if err == nil && state == IdempotencyRunning && !row.LockedUntil.After(s.now()) {
			state = IdempotencyNew // the lease passed: a claim takes it over
		}
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
// retries, if this request still holds the key (a *Error CodeConflict otherwise); a
// response carrying a secret is stored without its body.
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
		err := tx.CompleteIdempotencyKey(r.APIKeyID, r.Key, r.Owner, resp.Status, &headers, body, resp.Secret)
		if errors.Is(err, store.ErrNotFound) {
			return Errorf(CodeConflict, "The Idempotency-Key was taken over by a retry after this request's lease passed.")
		}
		return err
	})
}

// ReleaseIdempotencyKey forgets the key this request holds, so that a retry runs
// the request again (its first run failed with a server error, or was rate limited).
func (s *Service) ReleaseIdempotencyKey(ctx context.Context, r IdempotentRequest) error {
	return s.st.Write(ctx, func(tx *store.Tx) error { return tx.ReleaseIdempotencyKey(r.APIKeyID, r.Key, r.Owner) })
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
