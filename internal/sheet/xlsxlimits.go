package sheet

import (
	"archive/zip"
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Limits on an XLSX workbook, checked before excelize opens it, so that neither a
// zip bomb nor a workbook of a million rows costs more memory than a legitimate
// file of MaxRows rows. Sizes are decompressed bytes as the zip directory
// declares them (archive/zip fails a part that decompresses to more).
var (
	// maxUnzipped bounds the whole decompressed workbook: what MaxRows rows need,
	// every cell with about 64 bytes of XML around it, plus as much text as the
	// largest CSV import holds. A variable so that a test can lower it.
	maxUnzipped int64 = MaxRows*int64(len(Columns))*64 + 32<<20
)

const (
	// xmlInMemory is the size above which excelize keeps a worksheet or the
	// shared string table in a temporary file instead of in memory.
	xmlInMemory = 1 << 20
	// maxInMemoryParts bounds the parts excelize reads into memory (every part
	// but worksheets and shared strings above xmlInMemory): styles, the workbook,
	// relationships, and anything else a spreadsheet program stored.
	maxInMemoryParts = 8 << 20
	// maxSharedStrings bounds the shared string table: excelize indexes every
	// string of it (about 48 bytes each, 13 bytes at the least in the file).
	maxSharedStrings = 8 << 20
	// maxXMLUnit bounds one row element, one shared string item and any text or
	// tag between two angle brackets: excelize's XML decoder holds such a token
	// whole, and a row of the layout at every field's limit is far shorter.
	maxXMLUnit = 1 << 20
	// maxZipEntries and maxZipDirectory bound the zip directory, which is read
	// whole (a few hundred bytes per entry).
	maxZipEntries   = 10_000
	maxZipDirectory = 2 << 20
)

func tooLargeUnzipped() Problems {
	return Problems{{Message: fmt.Sprintf("is larger than %d MiB once decompressed; split it into several files", maxUnzipped>>20)}}
}

// checkWorkbook applies the limits to a zip of size bytes: ErrNotXLSX when it is
// not a zip, Problems when it breaks a limit.
func checkWorkbook(src io.ReaderAt, size int64) error {
	entries, dirSize, err := zipDirectory(src, size)
	if err != nil {
		return err
	}
	if entries > maxZipEntries || dirSize > maxZipDirectory {
		return Problems{{Message: fmt.Sprintf("has more than %d parts; save it again from your spreadsheet program", maxZipEntries)}}
	}
	zr, err := zip.NewReader(src, size)
	if err != nil {
		return ErrNotXLSX
	}
	var total, inMemory uint64
	for _, zf := range zr.File {
		n := zf.UncompressedSize64
		total += n
		if total > uint64(maxUnzipped) {
			return tooLargeUnzipped()
		}
		name := strings.ToLower(strings.ReplaceAll(zf.Name, `\`, "/"))
		sst := name == "xl/sharedstrings.xml"
		sheet := strings.HasPrefix(name, "xl/worksheets/sheet")
		if sst && n > maxSharedStrings {
			return Problems{{Message: fmt.Sprintf("has more than %d MiB of shared text; split it into several files", maxSharedStrings>>20)}}
		}
		if !(sst || sheet) || n <= xmlInMemory {
			if inMemory += n; inMemory > maxInMemoryParts {
				return Problems{{Message: fmt.Sprintf("has more than %d MiB besides its worksheets (pictures, styles, other parts); "+
					"copy the supplier rows into a new workbook", maxInMemoryParts>>20)}}
			}
		}
		if (sst || sheet) && path.Ext(name) == ".xml" {
			if err := checkXMLUnits(zf); err != nil {
				return err
			}
		}
	}
	return nil
}

// zipDirectory reads the entry count and directory size from the zip's end of
// central directory record (APPNOTE.TXT 4.3.16) without reading the directory.
func zipDirectory(src io.ReaderAt, size int64) (entries, dirSize int64, err error) {
	const eocdLen, maxComment = 22, 65535
	n := min(size, eocdLen+maxComment)
	if n < eocdLen {
		return 0, 0, ErrNotXLSX
	}
	tail := make([]byte, n)
	if _, err := src.ReadAt(tail, size-n); err != nil && !errors.Is(err, io.EOF) {
		return 0, 0, fmt.Errorf("read xlsx: %w", err)
	}
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) == 0x06054b50 {
			count := int64(binary.LittleEndian.Uint16(tail[i+10:]))
			if count == 0xFFFF { // ZIP64: more entries than any workbook of ours has
				count = maxZipEntries + 1
			}
			return count, int64(binary.LittleEndian.Uint32(tail[i+12:])), nil
		}
	}
	return 0, 0, ErrNotXLSX
}

// checkXMLUnits decompresses one XML part and fails when a row (<row>), a shared
// string item (<si>) or a run between angle brackets exceeds maxXMLUnit. It
// keeps nothing but a few counters.
func checkXMLUnits(zf *zip.File) error {
	rc, err := zf.Open()
	if err != nil {
		return ErrNotXLSX
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	var (
		run, unit int64 // bytes since the last angle bracket; since the current unit began
		inUnit    bool
		name      []byte // the tag name being read after '<'
		inName    bool
	)
	for {
		b, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return ErrNotXLSX
		}
		run++
		if inUnit {
			unit++
		}
		if run > maxXMLUnit || unit > maxXMLUnit {
			return Problems{{Message: fmt.Sprintf("has a row or a cell of more than %d MiB of XML; no row of the layout needs that much", maxXMLUnit>>20)}}
		}
		switch {
		case b == '<':
			run, inName, name = 0, true, name[:0]
			continue
		case b == '>':
			run = 0
		}
		if !inName {
			continue
		}
		if b != ' ' && b != '>' && b != '/' && b != '\t' && b != '\n' && b != '\r' || b == '/' && len(name) == 0 {
			if len(name) < 64 {
				name = append(name, b)
			}
			continue
		}
		inName = false
		closing := len(name) > 0 && name[0] == '/'
		local := strings.TrimPrefix(string(name), "/")
		if i := strings.LastIndexByte(local, ':'); i >= 0 {
			local = local[i+1:]
		}
		switch local {
		case "row", "si":
			inUnit, unit = !closing, 0
		case "sheetData", "sst":
			inUnit = false
		}
	}
}
