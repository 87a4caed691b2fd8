package gias

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"io"
)

// countyDurham is every County Durham establishment in the 2022 extract,
// open and closed; see data/ATTRIBUTION.md.
//
//go:embed data/schools_gias2022_county_durham.csv
var countyDurham []byte

// northEast is the same extract for the twelve North East local
// authorities, gzip-compressed.
//
//go:embed data/schools_gias2022_north_east.csv.gz
var northEast []byte

// CountyDurham returns the shipped County Durham schools file (488 rows,
// DialectGIAS2022), which the first start imports.
func CountyDurham() io.Reader {
	return bytes.NewReader(countyDurham)
}

// NorthEast returns the shipped North East schools file (2,442 rows,
// DialectGIAS2022), for tests and benchmarks at a larger scale.
func NorthEast() io.Reader {
	zr, err := gzip.NewReader(bytes.NewReader(northEast))
	if err != nil {
		return errReader{err}
	}
	return zr
}

// errReader is a reader that fails, for shipped data that cannot be read.
type errReader struct{ err error }

// Read returns the error.
func (r errReader) Read([]byte) (int, error) { return 0, r.err }
