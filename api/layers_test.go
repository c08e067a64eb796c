package api_test

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/weaklink/weaklink"

// layers is the dependency direction of README.md's "Project structure": for each
// package of the module, the packages of the module its non-test code may import.
// A package missing here fails the test, so a new one is placed deliberately.
var layers = map[string][]string{
	"":                     {"internal/cli"},
	"internal/cli":         {"*"}, // the only package that knows every other
	"api":                  {"internal/register", "internal/quarterly", "internal/sheetio", "internal/answersheet"},
	"internal/answersheet": {"internal/register"},
	"internal/quarterly":   {"internal/register", "internal/report", "internal/scoring", "internal/store"},
	"internal/sheetio":     {"internal/register", "internal/sheet", "internal/store"},
	"internal/demo":        {"internal/quarterly", "internal/register", "internal/store"},
	"internal/register":    {"internal/scoring", "internal/store"},
	"internal/report":      {"internal/scoring", "internal/sheet"},
	"internal/scoring":     {},
	"internal/sheet":       {},
	"internal/config":      {},
	"internal/store":       {"migrations"},
	"internal/testdb":      {"internal/store"},
	"migrations":           {},
}

// thirdParty confines libraries to the one layer that may use them: gin to the HTTP
// layer, gorm and the database drivers it wraps to the store (its tests and the test
// helpers may reach the drivers directly).
var thirdParty = []struct {
	prefix  string
	allowed []string
}{
	{"github.com/gin-gonic/", []string{"api"}},
	{"gorm.io/", []string{"internal/store"}},
	{"github.com/glebarez/", []string{"internal/store", "internal/testdb"}},
	{"github.com/jackc/", []string{"internal/store", "internal/testdb"}},
}

func TestImportDirection(t *testing.T) {
	cmd := exec.Command("go", "list", "-f", "{{.ImportPath}}\t{{join .Imports \" \"}}\t{{join .TestImports \" \"}} {{join .XTestImports \" \"}}", module+"/...")
	cmd.Dir = ".."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	rel := func(p string) (string, bool) {
		if p == module {
			return "", true
		}
		r, ok := strings.CutPrefix(p, module+"/")
		return r, ok
	}
	seen := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != 3 {
			t.Fatalf("go list line %q", sc.Text())
		}
		pkg, _ := rel(cols[0])
		allowed, known := layers[pkg]
		if !known {
			t.Errorf("package %q is not placed in the layers table (and README's Project structure)", cols[0])
			continue
		}
		seen++
		for _, imp := range strings.Fields(cols[1]) {
			if r, ok := rel(imp); ok && !slices.Contains(allowed, "*") && !slices.Contains(allowed, r) {
				t.Errorf("%s imports %s: not allowed by the dependency direction (allowed: %v)", cols[0], imp, allowed)
			}
		}
		// Libraries: production and test code alike.
		for _, imp := range append(strings.Fields(cols[1]), strings.Fields(cols[2])...) {
			for _, tp := range thirdParty {
				if strings.HasPrefix(imp, tp.prefix) && !slices.Contains(tp.allowed, pkg) {
					t.Errorf("%s imports %s, which belongs to %v only", cols[0], imp, tp.allowed)
				}
			}
		}
	}
	if seen != len(layers) { // a package removed must leave the table (and the README) too
		t.Errorf("go list listed %d of the %d packages in the table", seen, len(layers))
	}
}
