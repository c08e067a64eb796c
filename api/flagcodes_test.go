package api_test

import (
	"regexp"
	"testing"

	"github.com/weaklink/weaklink/internal/register"
)

// Every flag code the server accepts in a filter is one the contract accepts too:
// the query parameters' patterns and the Flag schema's enum name all the codes.
func TestContractNamesEveryFlagCode(t *testing.T) {
	doc, _, _ := loadContract(t)
	codes := register.FlagCodes()
	for _, name := range []string{"SupplierFlagParam", "WeakLinkFlagParam"} {
		p := doc.Components.Parameters[name]
		if p == nil || p.Value.Schema == nil || p.Value.Schema.Value.Items == nil {
			t.Fatalf("parameter %s not found", name)
		}
		re := regexp.MustCompile(p.Value.Schema.Value.Items.Value.Pattern)
		for _, c := range codes {
			if !re.MatchString(c) {
				t.Errorf("%s's pattern refuses %q", name, c)
			}
		}
	}
	enum := map[string]bool{}
	for _, v := range doc.Components.Schemas["FlagCode"].Value.Enum {
		enum[v.(string)] = true
	}
	for _, c := range codes {
		if !enum[c] {
			t.Errorf("the FlagCode enum lacks %q", c)
		}
	}
	if len(enum) != len(codes) {
		t.Errorf("the FlagCode enum has %d codes, the server %d", len(enum), len(codes))
	}
}
