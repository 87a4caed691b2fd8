// Package gias reads lists of schools published by the Department for
// Education, in the layouts Encounters meets: today's Get Information About
// Schools "edubasealldata" extract, the older EduBase "Schools in England"
// file, and the 2022 extract shipped in data/. A Reader turns any of them
// into app.SchoolRows for Service.ImportSchools.
package gias

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/encounters/encounters/app"
)

// Dialect names a layout of schools file.
type Dialect string

// The dialects a Reader knows, told apart by their header line.
const (
	// DialectGIAS is the Get Information About Schools extract as published
	// today: "URN", "EstablishmentName", "EstablishmentStatus (name)"...
	DialectGIAS Dialect = "gias"
	// DialectEduBase is the older EduBase layout: "URN", "Establishment
	// name", "Establishment status"...
	DialectEduBase Dialect = "edubase"
	// DialectGIAS2022 is the 2022 extract shipped with Encounters: "urn",
	// "name", "status_2022"...
	DialectGIAS2022 Dialect = "gias2022"
)

// field is a column the import uses, whatever a dialect calls it.
type field int

const (
	colURN field = iota
	colName
	colTown
	colPostcode
	colStatus
	colType
	colPhase
	colLowAge
	colHighAge
	colOpenDate
	colCloseDate
	colLocalAuth
	colUrbanRural
	colWebsite
	colLSOA
	numFields
)

// layout gives each field's column header in one dialect; "" for none.
// also gives another header a field may have instead, in files made by
// hand or by other tools.
type layout struct {
	dialect Dialect
	headers [numFields]string
	also    map[field]string
}

var layouts = []layout{
	{DialectGIAS, [numFields]string{
		colURN: "URN", colName: "EstablishmentName", colTown: "Town", colPostcode: "Postcode",
		colStatus: "EstablishmentStatus (name)", colType: "TypeOfEstablishment (name)",
		colPhase: "PhaseOfEducation (name)", colLowAge: "StatutoryLowAge", colHighAge: "StatutoryHighAge",
		colOpenDate: "OpenDate", colCloseDate: "CloseDate", colLocalAuth: "LA (name)",
		colUrbanRural: "UrbanRural (name)", colWebsite: "SchoolWebsite", colLSOA: "LSOA (code)",
	}, nil},
	{DialectEduBase, [numFields]string{
		colURN: "URN", colName: "Establishment name", colTown: "Town", colPostcode: "Postcode",
		colStatus: "Establishment status", colType: "Type of establishment",
		colPhase: "Phase of education", colLowAge: "Statutory lowest age", colHighAge: "Statutory highest age",
		colOpenDate: "Opening date", colCloseDate: "Closing date", colLocalAuth: "Local authority (name)",
		colUrbanRural: "Urban/rural (name)", colWebsite: "Website address", colLSOA: "lsoa",
	}, map[field]string{colLSOA: "lsoa_code"}},
	{DialectGIAS2022, [numFields]string{
		colURN: "urn", colName: "name", colTown: "town", colPostcode: "postcode",
		colStatus: "status_2022", colType: "type_2017_if_known",
		colPhase: "phase_2017_if_known", colLowAge: "stat_low_age_2017_if_known",
		colHighAge: "stat_high_age_2017_if_known", colOpenDate: "open_date", colCloseDate: "close_date",
		colLocalAuth: "la_district_name", colLSOA: "lsoa",
	}, map[field]string{colLSOA: "lsoa_code"}},
}

// required are the fields a file must have a column for.
var required = []field{colURN, colName, colPostcode, colStatus}

// Reader reads a schools file row by row. It implements app.SchoolRows.
// Fields are decoded as UTF-8 when they are valid UTF-8 (a byte-order mark
// is dropped) and as Windows-1252, the encoding GIAS publishes in,
// otherwise.
type Reader struct {
	csv     *csv.Reader
	dialect Dialect
	cols    [numFields]int // column index of each field, -1 when absent
	width   int            // fields in the header
	seen    map[string]int // URN to the line it was first seen on
	err     error
}

var _ app.SchoolRows = (*Reader)(nil)

// NewReader reads the header of a schools file and works out its dialect.
// A header no dialect matches, or one that lacks a column the import
// needs, gives an EInvalid error.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 64*1024)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte("\uFEFF")) {
		_, _ = br.Discard(3) // cannot fail: the bytes were peeked
	}

	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, app.Errorf(app.EInvalid, "The schools file is empty")
	}
	if err != nil {
		msg := "The first line of the schools file is not CSV"
		return nil, &app.Error{Code: app.EInvalid, Message: msg, Cause: err}
	}

	rd := &Reader{csv: cr, width: len(header), seen: make(map[string]int)}
	if err := rd.useHeader(header); err != nil {
		return nil, err
	}
	return rd, nil
}

// useHeader picks the dialect whose name column appears in header and
// finds its columns.
func (r *Reader) useHeader(header []string) error {
	index := make(map[string]int, len(header))
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(decode(h)))] = i
	}

	for _, l := range layouts {
		if _, ok := index[strings.ToLower(l.headers[colName])]; !ok {
			continue
		}
		r.dialect = l.dialect
		for f := range l.headers {
			r.cols[f] = l.column(field(f), index)
		}
		return r.checkRequired(l)
	}
	return app.Errorf(app.EInvalid,
		"This is not a schools file we know: its first line should name columns such as URN and EstablishmentName")
}

// column finds a field in a header indexed by lower-case name: its own
// header first, then the other one it may have. It is -1 when absent.
func (l layout) column(f field, index map[string]int) int {
	for _, h := range []string{l.headers[f], l.also[f]} {
		if i, ok := index[strings.ToLower(h)]; ok && h != "" {
			return i
		}
	}
	return -1
}

func (r *Reader) checkRequired(l layout) error {
	var missing []string
	for _, f := range required {
		if r.cols[f] < 0 {
			missing = append(missing, fmt.Sprintf("%q", l.headers[f]))
		}
	}

	if len(missing) > 0 {
		return app.Errorf(app.EInvalid, "The schools file has no %s column", strings.Join(missing, " or "))
	}
	return nil
}

// Dialect returns the layout the header matched.
func (r *Reader) Dialect() Dialect { return r.dialect }

// Next returns the next row: a school, or the reason its line is rejected.
// It returns false at the end of the file, or when the file cannot be read
// any further (see Err).
func (r *Reader) Next() (app.SchoolRow, bool) {
	if r.err != nil {
		return app.SchoolRow{}, false
	}
	rec, err := r.csv.Read()
	if errors.Is(err, io.EOF) {
		return app.SchoolRow{}, false
	}

	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return app.SchoolRow{Line: pe.StartLine, Problem: quoteProblem(pe)}, true
	}
	if err != nil {
		r.err = fmt.Errorf("read schools file: %w", err)
		return app.SchoolRow{}, false
	}

	line, _ := r.csv.FieldPos(0)
	if len(rec) != r.width {
		problem := fmt.Sprintf("has %d fields, the header has %d", len(rec), r.width)
		return app.SchoolRow{Line: line, Problem: problem}, true
	}
	return r.row(line, rec), true
}

// Err reports a failure to read the file, other than a bad row.
func (r *Reader) Err() error { return r.err }

// quoteProblem explains a CSV syntax error in plain English.
func quoteProblem(pe *csv.ParseError) string {
	if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
		return fmt.Sprintf("a quote mark is out of place, near character %d of the line", pe.Column)
	}
	return "is not valid CSV: " + pe.Err.Error()
}

// decode turns one field into UTF-8: kept as it is when it is valid UTF-8,
// read as Windows-1252 otherwise.
func decode(s string) string {
	if utf8.ValidString(s) {
		return s
	}

	out, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}

// Import reads a schools file in any dialect and imports it with
// s.ImportSchools, for callers that hold a file rather than rows.
func Import(ctx context.Context, s *app.Service, r io.Reader, progress io.Writer) (app.ImportSummary, error) {
	rows, err := NewReader(r)
	if err != nil {
		return app.ImportSummary{}, err
	}
	return s.ImportSchools(ctx, rows, progress)
}
