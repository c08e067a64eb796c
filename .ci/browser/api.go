package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// apiClient calls the service's API from Go (not from the browser), as the
// procurement team's tooling would, with the demo admin key.
type apiClient struct {
	base, key string
}

// call sends method path with body (JSON, when not nil), requires the status want,
// and decodes the answer into out (when not nil).
func (c apiClient) call(ctx context.Context, method, path string, body any, want int, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s answered %s, want %d: %s", method, path, resp.Status, want, strings.TrimSpace(string(b[:min(len(b), 600)])))
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: read the answer: %w", method, path, err)
		}
	}
	return nil
}

// download GETs path with the key and returns the answer's headers and body (at
// most 4 MiB), requiring 200.
func (c apiClient) download(ctx context.Context, path string) (http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s answered %s, want 200: %s", path, resp.Status, strings.TrimSpace(string(b[:min(len(b), 600)])))
	}
	return resp.Header, b, nil
}

// questionnaire is what the check reads of a questionnaire.
type questionnaire struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Questions []question `json:"questions"`
}

type question struct {
	Key      string   `json:"key"`
	Domain   string   `json:"domain"`
	Text     string   `json:"text"`
	Optional bool     `json:"optional"`
	Options  []option `json:"options"`
}

type option struct {
	Value string `json:"value"`
}

// assessment is what the check reads of an assessment.
type assessment struct {
	ID                    string            `json:"id"`
	Status                string            `json:"status"`
	QuestionnaireID       string            `json:"questionnaire_id"`
	Answers               map[string]string `json:"answers"`
	Comments              map[string]string `json:"comments"`
	SubmittedBy           *string           `json:"submitted_by"`
	SubmittedByInvitation *string           `json:"submitted_by_invitation"`
	SubmittedAt           *time.Time        `json:"submitted_at"`
}

// invitation is what the check reads of an invitation; URL only in the answer to
// its creation.
type invitation struct {
	ID           string     `json:"id"`
	AssessmentID string     `json:"assessment_id"`
	Status       string     `json:"status"`
	SecretPrefix string     `json:"secret_prefix"`
	OpenedAt     *time.Time `json:"opened_at"`
	SubmittedAt  *time.Time `json:"submitted_at"`
	URL          string     `json:"url"`
}

// evidenceFile is what the check reads of an evidence file.
type evidenceFile struct {
	ID                   string  `json:"id"`
	AssessmentID         string  `json:"assessment_id"`
	QuestionKey          string  `json:"question_key"`
	FileName             string  `json:"file_name"`
	MediaType            string  `json:"media_type"`
	SizeBytes            int64   `json:"size_bytes"`
	SHA256               string  `json:"sha256"`
	UploadedBy           *string `json:"uploaded_by"`
	UploadedByInvitation *string `json:"uploaded_by_invitation"`
}
