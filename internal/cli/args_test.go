package cli

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestParseInterleavesFlagsAndArguments(t *testing.T) {
	cases := []struct {
		name   string
		args   []string
		want   []string // positionals
		format string
		out    string
		err    string // usage error text; "" means success
	}{
		{"flags after", []string{"ID", "--format", "pdf", "-o", "r.pdf"}, []string{"ID"}, "pdf", "r.pdf", ""},
		{"flags before", []string{"--format", "pdf", "-o", "r.pdf", "ID"}, []string{"ID"}, "pdf", "r.pdf", ""},
		{"flags around", []string{"--format=pdf", "ID", "-o", "r.pdf"}, []string{"ID"}, "pdf", "r.pdf", ""},
		{"single dash", []string{"-format", "csv", "ID"}, []string{"ID"}, "csv", "", ""},
		{"dash is stdout", []string{"ID", "-o", "-"}, []string{"ID"}, "json", "-", ""},
		{"double dash ends flags", []string{"--format", "html", "--", "-ID-"}, []string{"-ID-"}, "html", "", ""},
		{"missing", []string{"--format", "pdf"}, nil, "", "", "missing ID"},
		{"stray", []string{"ID", "extra"}, nil, "", "", `unexpected argument "extra"`},
		{"stray after flags", []string{"ID", "--format", "pdf", "extra"}, nil, "", "", `unexpected argument "extra"`},
		{"unknown flag", []string{"ID", "--x"}, nil, "", "", "flag provided but not defined: -x"},
		{"flag without value", []string{"ID", "--format"}, nil, "", "", "flag needs an argument"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFlags("report render")
			format := fs.String("format", "json", "")
			out := fs.String("o", "", "")
			pos, err := parse("report render", fs, tc.args, "ID")
			if tc.err != "" {
				var ue *usageError
				if !errors.As(err, &ue) || ue.cmd != "report render" || !strings.Contains(ue.msg, tc.err) {
					t.Fatalf("err = %#v, want a usage error with %q", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(pos, tc.want) || *format != tc.format || *out != tc.out {
				t.Fatalf("pos %q format %q out %q err %v", pos, *format, *out, err)
			}
		})
	}
	if pos, err := parse("help", newFlags("help"), nil, "[COMMAND]"); err != nil || len(pos) != 0 {
		t.Fatalf("optional argument left out: %q %v", pos, err)
	}
}

// Every command refuses an unknown flag or a stray argument with its usage on
// stderr and exit 2, before it reads the configuration or touches a database.
func TestUnknownFlagsAndStrayArgumentsExit2(t *testing.T) {
	c := newCLI(t)
	c.env["WEAKLINK_ADDR"] = "127.0.0.1:1" // serve must not get as far as binding
	cases := []struct {
		args []string
		want string // in stderr
	}{
		{[]string{"serve", "extra"}, `weaklink serve: unexpected argument "extra"`},
		{[]string{"serve", "--x"}, "weaklink serve: flag provided but not defined: -x"},
		{[]string{"version", "--x"}, "weaklink version: flag provided but not defined: -x"},
		{[]string{"version", "now"}, `unexpected argument "now"`},
		{[]string{"help", "serve", "now"}, `unexpected argument "now"`},
		{[]string{"migrate"}, "weaklink migrate: missing subcommand: up, down, status"},
		{[]string{"migrate", "sideways"}, `weaklink migrate: unknown subcommand "sideways"`},
		{[]string{"migrate", "up", "7"}, `weaklink migrate up: unexpected argument "7"`},
		{[]string{"migrate", "status", "--all"}, "flag provided but not defined: -all"},
		{[]string{"apikey"}, "weaklink apikey: missing subcommand"},
		{[]string{"apikey", "create", "--role", "admin", "--name", "ops", "extra"}, `unexpected argument "extra"`},
		{[]string{"apikey", "create", "--owner", "me"}, "flag provided but not defined: -owner"},
		{[]string{"apikey", "list", "--all"}, "flag provided but not defined: -all"},
		{[]string{"apikey", "revoke"}, "weaklink apikey revoke: missing ID"},
		{[]string{"apikey", "revoke", "a", "b"}, `unexpected argument "b"`},
		{[]string{"import"}, "weaklink import: missing FILE"},
		{[]string{"import", "a.csv", "b.csv"}, `unexpected argument "b.csv"`},
		{[]string{"import", "a.csv", "--force"}, "flag provided but not defined: -force"},
		{[]string{"export", "extra"}, `weaklink export: unexpected argument "extra"`},
		{[]string{"export", "--out", "x.csv"}, "flag provided but not defined: -out"},
		{[]string{"report"}, "weaklink report: missing subcommand"},
		{[]string{"report", "publish"}, `unknown subcommand "publish"`},
		{[]string{"report", "generate", "2026-Q1"}, `unexpected argument "2026-Q1"`},
		{[]string{"report", "generate", "--regenerate=maybe"}, "invalid boolean value"},
		{[]string{"report", "render"}, "weaklink report render: missing ID"},
		{[]string{"report", "render", "ID", "--pages", "3"}, "flag provided but not defined: -pages"},
		{[]string{"audit"}, "weaklink audit: missing subcommand: verify"},
		{[]string{"audit", "verify", "--fix"}, "flag provided but not defined: -fix"},
		{[]string{"audit", "verify", "now"}, `unexpected argument "now"`},
	}
	for _, tc := range cases {
		code, out, errOut := c.run(tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "Usage:\nweaklink "+strings.Fields(tc.args[0])[0]) {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", tc.args, code, out, errOut)
		}
	}
	if _, err := os.Stat(c.env["WEAKLINK_SQLITE_PATH"]); err == nil {
		t.Error("a usage error created the database file")
	}
}
