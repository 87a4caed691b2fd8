package gias

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/encounters/encounters/app"
)

// rowReader checks one record's fields, collecting every problem.
type rowReader struct {
	rec      []string
	cols     *[numFields]int
	problems []string
}

// get returns a field decoded and trimmed, "" when the file has no such
// column.
func (rr *rowReader) get(f field) string {
	i := rr.cols[f]
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(decode(rr.rec[i]))
}

func (rr *rowReader) problem(format string, args ...any) {
	rr.problems = append(rr.problems, fmt.Sprintf(format, args...))
}

// row turns one record into a school, or into the reasons it is rejected.
func (r *Reader) row(line int, rec []string) app.SchoolRow {
	rr := &rowReader{rec: rec, cols: &r.cols}
	urn := r.urn(rr, line)

	name := rr.get(colName)
	if name == "" {
		rr.problem("establishment name is missing")
	}
	postcode := rr.postcode()
	status := rr.status()
	typ := rr.get(colType)
	if typ == "" {
		typ = knownTypes[urn]
	}
	o := &app.Organisation{
		ID: app.SchoolID(urn), Kind: kindOf(typ), Name: name, URN: urn,
		Town: strings.TrimRight(rr.get(colTown), ", "), Postcode: postcode, Status: status,
		SchoolType: typ, Phase: rr.get(colPhase), LocalAuth: rr.get(colLocalAuth),
		LowAge: rr.age(colLowAge, "statutory low age"), HighAge: rr.age(colHighAge, "statutory high age"),
		OpenDate: rr.date(colOpenDate, "open date"), CloseDate: rr.date(colCloseDate, "close date"),
		LSOA: lsoa(rr.get(colLSOA)), Website: website(rr.get(colWebsite)), Source: string(r.dialect),
	}
	urbanRural := rr.get(colUrbanRural)
	o.Rural = strings.Contains(strings.ToLower(urbanRural), "rural")

	if len(rr.problems) > 0 {
		return app.SchoolRow{Line: line, Problem: strings.Join(rr.problems, "; ")}
	}
	return app.SchoolRow{Line: line, School: o, RuralKnown: urbanRural != ""}
}

// urn checks the URN and that it has not appeared earlier in the file.
func (r *Reader) urn(rr *rowReader, line int) string {
	urn := rr.get(colURN)

	switch {
	case urn == "":
		rr.problem("URN is missing")
	case !digits(urn):
		rr.problem("URN %q is not a number", clip(urn))
	default:
		if first, dup := r.seen[urn]; dup {
			rr.problem("URN %s is repeated (first on line %d)", urn, first)
		} else {
			r.seen[urn] = line
		}
	}
	return urn
}

func (rr *rowReader) postcode() string {
	raw := rr.get(colPostcode)
	if raw == "" {
		rr.problem("postcode is missing")
		return ""
	}

	pc, ok := app.NormalisePostcode(raw)
	if !ok {
		rr.problem("postcode %q is not a real postcode", clip(raw))
	}
	return pc
}

// status maps GIAS establishment statuses to open or closed. A school
// proposed to close is still open; one proposed to open is on the register
// and may plan its first pupils' encounters, so it counts as open too.
func (rr *rowReader) status() string {
	raw := rr.get(colStatus)

	switch strings.ToLower(raw) {
	case "open", "open, but proposed to close", "proposed to open":
		return app.OrgOpen
	case "closed":
		return app.OrgClosed
	case "":
		rr.problem("establishment status is missing")
	default:
		rr.problem("establishment status %q is not Open or Closed", clip(raw))
	}
	return ""
}

// collegeTypes are parts of the type-of-establishment names of colleges.
var collegeTypes = []string{"further education", "sixth form", "16-19", "16 to 19", "higher education"}

// kindOf tells colleges from schools by the type of establishment: further
// education, sixth form centres, 16 to 19 academies and free schools, and
// higher education institutions are colleges; everything else, including
// an unknown type, is a school.
func kindOf(typ string) app.OrgKind {
	t := strings.ToLower(typ)
	for _, kind := range collegeTypes {
		if strings.Contains(t, kind) {
			return app.KindCollege
		}
	}
	return app.KindSchool
}

// age reads a whole number of years; blank is 0, unknown.
func (rr *rowReader) age(f field, what string) int {
	raw := rr.get(f)
	if raw == "" {
		return 0
	}

	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > 120 {
		rr.problem("%s %q is not a whole number of years", what, clip(raw))
		return 0
	}
	return n
}

// dateLayouts are the ways the dialects write dates: GIAS "01-09-2006",
// EduBase "01/09/2006", and ISO.
var dateLayouts = []string{"02-01-2006", "02/01/2006", "2006-01-02"}

// date reads a date as ISO "2006-01-02"; blank or "NA" is "", unknown.
func (rr *rowReader) date(f field, what string) string {
	raw := rr.get(f)
	if raw == "" || strings.EqualFold(raw, "NA") {
		return ""
	}

	for _, l := range dateLayouts {
		if t, err := time.Parse(l, raw); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	rr.problem("%s %q is not a date like 01-09-2006", what, clip(raw))
	return ""
}

// lsoa reads an LSOA code, upper-cased. Anything that is not "E01" and six
// digits is dropped without rejecting the row: the area only refines
// matching, and the school is still worth importing without it.
func lsoa(s string) string {
	s = strings.ToUpper(s)
	if !app.IsLSOA(s) {
		return ""
	}
	return s
}

// website adds a scheme to a bare address such as "www.school.org.uk"
// and drops anything that cannot be a web address.
func website(s string) string {
	if s == "" || strings.ContainsAny(s, " \t<>\"") {
		return ""
	}

	lower := strings.ToLower(s)
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		return s
	}
	return "http://" + s
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// clip shortens a bad value echoed in a reason.
func clip(s string) string {
	const limit = 40
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
