package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// toFile reports whether an -o value names a file rather than standard output.
func toFile(path string) bool { return path != "" && path != "-" }

// writeOutput writes data to the file path, or to stdout when path is "" or "-".
func writeOutput(stdout io.Writer, path string, data []byte) error {
	if !toFile(path) {
		_, err := stdout.Write(data)
		return err
	}
	return writePrivateFile(path, data)
}

// writePrivateFile writes data to path readable by its owner only (0600): exports
// and reports hold personal data. The data goes to a new file in the same directory
// that is then renamed over path, so an existing file is replaced whole and ends up
// 0600 too, whatever its mode was (os.WriteFile would keep that mode), and a failed
// write leaves the old file as it was.
func writePrivateFile(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil { // CreateTemp's mode already; said here so it stays
		_ = tmp.Close()
		return err
	}
	_, werr := tmp.Write(data)
	if err := errors.Join(werr, tmp.Close()); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
