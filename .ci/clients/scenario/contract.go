package main

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// operation is one operation of the contract.
type operation struct {
	id, method, path string
	pattern          *regexp.Regexp // the path with each {param} as one segment
	success          map[int]bool   // its 2xx statuses, or its 3xx ones when it has no 2xx
}

// readOperations lists every operation of the contract with its success statuses: the
// 2xx ones, or for an operation that answers no 2xx (a form post answered 303, as
// browsers expect) its 3xx ones.
func readOperations(spec string) ([]operation, error) {
	raw, err := os.ReadFile(spec)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("read %s: %w", spec, err)
	}
	var ops []operation
	param := regexp.MustCompile(`\\\{[^/]+\\\}`)
	for path, item := range doc.Paths {
		for method, node := range item {
			switch method {
			case "get", "put", "post", "patch", "delete", "head", "options":
			default:
				continue // parameters, summary, …
			}
			var op struct {
				OperationID string               `yaml:"operationId"`
				Responses   map[string]yaml.Node `yaml:"responses"`
			}
			if err := node.Decode(&op); err != nil {
				return nil, fmt.Errorf("%s %s: %w", method, path, err)
			}
			if op.OperationID == "" {
				return nil, fmt.Errorf("%s %s has no operationId", method, path)
			}
			o := operation{id: op.OperationID, method: strings.ToUpper(method), path: path, success: map[int]bool{},
				pattern: regexp.MustCompile("^" + param.ReplaceAllString(regexp.QuoteMeta(path), `[^/]+`) + "$")}
			redirects := map[int]bool{}
			for code := range op.Responses {
				var n int
				if _, err := fmt.Sscanf(code, "%d", &n); err != nil {
					continue
				}
				switch {
				case n >= 200 && n < 300:
					o.success[n] = true
				case n >= 300 && n < 400 && n != 304:
					redirects[n] = true
				}
			}
			if len(o.success) == 0 {
				o.success = redirects
			}
			ops = append(ops, o)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	return ops, nil
}

// match finds the operation a request goes to; literal paths win over templated ones.
func match(ops []operation, method, path string) *operation {
	var found *operation
	for i := range ops {
		o := &ops[i]
		if o.method != method || !o.pattern.MatchString(path) {
			continue
		}
		if o.path == path {
			return o
		}
		if found == nil || strings.Count(o.path, "{") < strings.Count(found.path, "{") {
			found = o
		}
	}
	return found
}
