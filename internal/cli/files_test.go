package cli

import (
	"os"
	"path/filepath"
	"testing"
)

func TestWritePrivateFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := writePrivateFile(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writePrivateFile(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	raw, _ := os.ReadFile(path)
	if err != nil || fi.Mode().Perm() != 0o600 || string(raw) != "two" {
		t.Fatalf("mode %v, contents %q, %v", fi.Mode(), raw, err)
	}
	if err := writePrivateFile(filepath.Join(dir, "missing", "out.csv"), []byte("x")); err == nil {
		t.Fatal("wrote into a directory that does not exist")
	}
	if err := writePrivateFile(dir, []byte("x")); err == nil {
		t.Fatal("replaced a directory")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}
