package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/goccy/go-yaml"
)

// operationIDs reads the contract the service serves (GET /openapi.yaml) and returns
// the operationId of each of its operations, in no particular order.
func operationIDs(ctx context.Context, base string) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/openapi.yaml", nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET /openapi.yaml: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("GET /openapi.yaml: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /openapi.yaml answered %s", resp.Status)
	}
	var spec struct {
		Paths map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(body, &spec); err != nil {
		return nil, fmt.Errorf("read /openapi.yaml: %w", err)
	}
	methods := []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
	var ids []string
	for path, item := range spec.Paths {
		for key, op := range item {
			if !slices.Contains(methods, key) {
				continue // parameters, summary, servers …
			}
			id, _ := op.(map[string]any)["operationId"].(string)
			if id == "" {
				return nil, fmt.Errorf("/openapi.yaml: %s %s has no operationId", key, path)
			}
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("/openapi.yaml lists no operation")
	}
	return ids, nil
}
