package gias

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/encounters/encounters/app"
)

// readAll reads every row of a schools file, failing the test on an error
// that is not a bad row.
func readAll(t *testing.T, r io.Reader) (*Reader, []app.SchoolRow) {
	t.Helper()
	rd, err := NewReader(r)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var rows []app.SchoolRow
	for {
		row, ok := rd.Next()
		if !ok {
			break
		}
		rows = append(rows, row)
	}
	if err := rd.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	return rd, rows
}

// schools returns the rows' schools by URN, failing on any rejected row.
func schools(t *testing.T, rows []app.SchoolRow) map[string]*app.Organisation {
	t.Helper()
	byURN := make(map[string]*app.Organisation, len(rows))
	for _, r := range rows {
		if r.School == nil {
			t.Fatalf("line %d rejected: %s", r.Line, r.Problem)
		}
		byURN[r.School.URN] = r.School
	}
	return byURN
}

func TestShippedFiles(t *testing.T) {
	tests := []struct {
		name         string
		file         io.Reader
		rows         int
		open, closed int
	}{
		{name: "County Durham", file: CountyDurham(), rows: 488, open: 281, closed: 207},
		{name: "North East", file: NorthEast(), rows: 2442, open: 1221, closed: 1221},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, rows := readAll(t, tt.file)
			if rd.Dialect() != DialectGIAS2022 {
				t.Errorf("dialect %q, want %q", rd.Dialect(), DialectGIAS2022)
			}
			byURN := schools(t, rows)
			if len(byURN) != tt.rows {
				t.Errorf("%d schools, want %d", len(byURN), tt.rows)
			}
			status := map[string]int{}
			for _, o := range byURN {
				status[o.Status]++
			}
			if status[app.OrgOpen] != tt.open || status[app.OrgClosed] != tt.closed {
				t.Errorf("status counts %v, want %d open and %d closed", status, tt.open, tt.closed)
			}
			if rows[0].Line != 2 || rows[len(rows)-1].Line != tt.rows+1 {
				t.Errorf("lines %d..%d, want 2..%d", rows[0].Line, rows[len(rows)-1].Line, tt.rows+1)
			}
		})
	}
}

func TestCountyDurhamRows(t *testing.T) {
	_, rows := readAll(t, CountyDurham())
	byURN := schools(t, rows)
	tests := []struct {
		urn  string
		want app.Organisation
	}{
		{"109302", app.Organisation{
			ID: "urn-109302", Kind: app.KindSchool, Name: "Woodham Burn Community Primary School", URN: "109302",
			Town: "Newton Aycliffe", Postcode: "DL5 4EX", Status: app.OrgOpen, Phase: "Primary",
			SchoolType: "Community School", LowAge: 2, HighAge: 11, OpenDate: "2006-09-01",
			LocalAuth: "County Durham", Source: "gias2022",
		}},
		{"113967", app.Organisation{
			ID: "urn-113967", Kind: app.KindSchool, Name: "Clarence Nursery School", URN: "113967",
			Town: "Chester le Street", Postcode: "DH2 3AA", Status: app.OrgClosed, CloseDate: "1998-09-01",
			LocalAuth: "County Durham", Source: "gias2022",
		}},
		{"114270", app.Organisation{
			ID: "urn-114270", Kind: app.KindSchool, Name: "St Hild's College Church of England Aided Primary School, Durham",
			URN: "114270", Town: "Durham", Postcode: "DH1 2HZ", Status: app.OrgOpen, Phase: "Primary",
			SchoolType: "Voluntary Aided School", LowAge: 2, HighAge: 11, LocalAuth: "County Durham", Source: "gias2022",
		}},
		// A further education college whose type the extract leaves blank.
		{"131859", app.Organisation{
			ID: "urn-131859", Kind: app.KindCollege, Name: "East Durham College", URN: "131859",
			Town: "Peterlee", Postcode: "SR8 2RN", Status: app.OrgOpen, SchoolType: "Further education",
			OpenDate: "1999-06-01", LocalAuth: "County Durham", Source: "gias2022",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.urn, func(t *testing.T) {
			got := byURN[tt.urn]
			if got == nil {
				t.Fatalf("URN %s not read", tt.urn)
			}
			if *got != tt.want {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestEduBaseLayout(t *testing.T) {
	f, err := os.Open("testdata/edubase_2017_county_durham_subset.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	rd, rows := readAll(t, f)
	if rd.Dialect() != DialectEduBase {
		t.Fatalf("dialect %q, want %q", rd.Dialect(), DialectEduBase)
	}
	byURN := schools(t, rows)
	if len(byURN) != 102 {
		t.Errorf("%d schools, want 102", len(byURN))
	}
	want := app.Organisation{
		ID: "urn-109302", Kind: app.KindSchool, Name: "Woodham Burn Community Primary School", URN: "109302",
		Town: "Newton Aycliffe", Postcode: "DL5 4EX", Status: app.OrgOpen, Phase: "Primary",
		SchoolType: "Community School", LowAge: 2, HighAge: 11, OpenDate: "2006-09-01",
		LocalAuth: "Durham", Source: "edubase",
	}
	if got := byURN["109302"]; got == nil || *got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if got := byURN["114270"]; got == nil || got.OpenDate != "" {
		t.Errorf("opening date NA read as %+v, want blank", got)
	}
}

// giasHeader is columns of today's edubasealldata header, enough for every
// field the import reads, in the order GIAS publishes them.
var giasHeader = []string{
	"URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
	"TypeOfEstablishment (code)", "TypeOfEstablishment (name)",
	"EstablishmentTypeGroup (code)", "EstablishmentTypeGroup (name)",
	"EstablishmentStatus (code)", "EstablishmentStatus (name)", "OpenDate", "CloseDate",
	"PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
	"Street", "Town", "Postcode", "SchoolWebsite", "UrbanRural (code)", "UrbanRural (name)",
	"MSOA (name)", "LSOA (name)", "MSOA (code)", "LSOA (code)",
}

// giasFile writes a current-GIAS style file, one line per row of fields.
func giasFile(rows ...[]string) string {
	var b strings.Builder
	b.WriteString(strings.Join(giasHeader, ",") + "\r\n")
	for _, r := range rows {
		quoted := make([]string, len(r))
		for i, f := range r {
			quoted[i] = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		b.WriteString(strings.Join(quoted, ",") + "\r\n")
	}
	return b.String()
}

// The rows' LSOAs are real County Durham areas, from the English Indices
// of Deprivation 2019: E01020600 is in IMD decile 9 and E01020592 in
// decile 1. They are not the schools' own areas.
var (
	giasCollege = []string{"130659", "840", "County Durham", "8600", "New College Durham",
		"18", "Further education", "1", "Colleges", "1", "Open", "", "",
		"0", "Not applicable", "16", "99", "Framwellgate Moor", "Durham", "DH1 5ES",
		"www.newcollegedurham.ac.uk", "A1", "(England/Wales) Urban city and town",
		"County Durham 013", "County Durham 013C", "E02004294", "E01020600"}
	giasCafe = []string{"200001", "840", "County Durham", "2001", "École Saint-Cuthbert’s Primary",
		"01", "Community school", "4", "Local authority maintained schools", "4", "Open, but proposed to close",
		"01-09-2006", "", "2", "Primary", "4", "11", "Front Street", "Barnard Castle", "dl12 8he",
		"https://example.org/school", "D1", "(England/Wales) Rural town and fringe",
		"County Durham 011", "County Durham 011A", "E02004293", "e01020592 "}
	giasClosed = []string{"200002", "840", "County Durham", "2002", "Old Pit Lane School",
		"01", "Community school", "4", "Local authority maintained schools", "2", "Closed",
		"", "31-08-2015", "2", "Primary", "4", "11", "", "Stanley", "DH9 0AA",
		"", "", "", "", "", "", "E0102059"}
)

func TestCurrentGIASEncodings(t *testing.T) {
	text := giasFile(giasCollege, giasCafe, giasClosed)
	cp1252, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		file []byte
	}{
		{name: "Windows-1252 as published", file: []byte(cp1252)},
		{name: "UTF-8", file: []byte(text)},
		{name: "UTF-8 with byte-order mark", file: append([]byte("\uFEFF"), text...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "Windows-1252 as published" && bytes.Equal(tt.file, []byte(text)) {
				t.Fatal("encoding the file changed nothing; the test would prove nothing")
			}
			rd, rows := readAll(t, bytes.NewReader(tt.file))
			if rd.Dialect() != DialectGIAS {
				t.Fatalf("dialect %q, want %q", rd.Dialect(), DialectGIAS)
			}
			byURN := schools(t, rows)
			checkCurrentGIAS(t, byURN)
		})
	}
}

func checkCurrentGIAS(t *testing.T, byURN map[string]*app.Organisation) {
	t.Helper()
	want := map[string]app.Organisation{
		"130659": {ID: "urn-130659", Kind: app.KindCollege, Name: "New College Durham", URN: "130659",
			Town: "Durham", Postcode: "DH1 5ES", Status: app.OrgOpen, Phase: "Not applicable",
			SchoolType: "Further education", LowAge: 16, HighAge: 99, LocalAuth: "County Durham",
			LSOA: "E01020600", Website: "http://www.newcollegedurham.ac.uk", Source: "gias"},
		"200001": {ID: "urn-200001", Kind: app.KindSchool, Name: "École Saint-Cuthbert’s Primary", URN: "200001",
			Town: "Barnard Castle", Postcode: "DL12 8HE", Status: app.OrgOpen, Phase: "Primary",
			SchoolType: "Community school", LowAge: 4, HighAge: 11, OpenDate: "2006-09-01",
			LocalAuth: "County Durham", LSOA: "E01020592", Rural: true, Website: "https://example.org/school",
			Source: "gias"},
		"200002": {ID: "urn-200002", Kind: app.KindSchool, Name: "Old Pit Lane School", URN: "200002",
			Town: "Stanley", Postcode: "DH9 0AA", Status: app.OrgClosed, Phase: "Primary",
			SchoolType: "Community school", LowAge: 4, HighAge: 11, CloseDate: "2015-08-31",
			LocalAuth: "County Durham", Source: "gias"},
	}
	for urn, w := range want {
		if got := byURN[urn]; got == nil || *got != w {
			t.Errorf("URN %s:\ngot  %+v\nwant %+v", urn, got, w)
		}
	}
}

func TestLSOA(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "LSOA code", in: "E01020590", want: "E01020590"},
		{name: "lower case", in: "e01020590", want: "E01020590"},
		{name: "blank", in: "", want: ""},
		{name: "digit missing", in: "E0102059", want: ""},
		{name: "digit too many", in: "E010205900", want: ""},
		{name: "MSOA code", in: "E02004295", want: ""},
		{name: "Welsh LSOA", in: "W01000001", want: ""},
		{name: "LSOA name", in: "County Durham 015A", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lsoa(tt.in); got != tt.want {
				t.Errorf("lsoa(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLSOAColumns(t *testing.T) {
	const edubase = "URN,Establishment name,Postcode,Establishment status,"
	const gias2022 = "urn,name,postcode,status_2022,"
	tests := []struct {
		name    string
		file    string
		dialect Dialect
		want    string
	}{
		{name: "GIAS LSOA (code)", dialect: DialectGIAS,
			file: "URN,EstablishmentName,Postcode,EstablishmentStatus (name),LSOA (name),LSOA (code)\n" +
				"1,A,DH1 3LE,Open,County Durham 015A,E01020590\n", want: "E01020590"},
		{name: "GIAS without the column", dialect: DialectGIAS,
			file: "URN,EstablishmentName,Postcode,EstablishmentStatus (name)\n1,A,DH1 3LE,Open\n"},
		{name: "GIAS ignores lsoa", dialect: DialectGIAS,
			file: "URN,EstablishmentName,Postcode,EstablishmentStatus (name),lsoa\n1,A,DH1 3LE,Open,E01020590\n"},
		{name: "EduBase lsoa", dialect: DialectEduBase,
			file: edubase + "lsoa\n1,A,DH1 3LE,Open,E01020590\n", want: "E01020590"},
		{name: "EduBase lsoa_code", dialect: DialectEduBase,
			file: edubase + "LSOA_code\n1,A,DH1 3LE,Open,E01020590\n", want: "E01020590"},
		{name: "2022 extract lsoa", dialect: DialectGIAS2022,
			file: gias2022 + "lsoa\n1,A,DH1 3LE,open,E01020590\n", want: "E01020590"},
		{name: "2022 extract lsoa_code", dialect: DialectGIAS2022,
			file: gias2022 + "lsoa_code\n1,A,DH1 3LE,open,E01020590\n", want: "E01020590"},
		{name: "malformed code is dropped, not rejected", dialect: DialectGIAS2022,
			file: gias2022 + "lsoa\n1,A,DH1 3LE,open,E01-020590\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, rows := readAll(t, strings.NewReader(tt.file))
			if rd.Dialect() != tt.dialect {
				t.Fatalf("dialect %q, want %q", rd.Dialect(), tt.dialect)
			}
			byURN := schools(t, rows)
			if got := byURN["1"]; got == nil || got.LSOA != tt.want {
				t.Errorf("school %+v, want LSOA %q", got, tt.want)
			}
		})
	}
}

func TestRuralKnown(t *testing.T) {
	_, rows := readAll(t, strings.NewReader(giasFile(giasCafe, giasClosed)))
	if !rows[0].RuralKnown || rows[1].RuralKnown {
		t.Errorf("RuralKnown %v %v, want true for a UrbanRural value and false for a blank",
			rows[0].RuralKnown, rows[1].RuralKnown)
	}
	_, rows = readAll(t, CountyDurham())
	if rows[0].RuralKnown {
		t.Error("RuralKnown true for the 2022 extract, which has no UrbanRural column")
	}
}

// with returns a copy of the GIAS row with field i replaced.
func with(row []string, i int, v string) []string {
	c := append([]string(nil), row...)
	c[i] = v
	return c
}

func TestBadRows(t *testing.T) {
	const urn, name, status, open, postcode = 0, 4, 10, 11, 19
	file := giasFile(
		giasCafe,                   // line 2: fine
		with(giasCafe, urn, ""),    // 3
		with(giasCafe, urn, "12a"), // 4
		with(with(giasClosed, urn, "300005"), name, " "), // 5
		with(with(giasClosed, urn, "300006"), postcode, "NOT A PC"),
		with(with(giasClosed, urn, "300007"), postcode, ""),
		with(giasCafe, name, "Another"), // 8: repeats 200001
		giasCollege[:10],                // 9: too few fields
		with(with(giasClosed, urn, "300010"), status, "Sold"),
		with(with(giasClosed, urn, "300011"), open, "31-02-2015"),
		with(giasCollege, name, "New College\nDurham"), // 12-13: one record, two lines
	) + "200003,840,\"County \"Durham\",x\r\n" + // 14: a stray quote
		strings.Join(giasClosed, ",") // 15: fine, no final newline

	_, rows := readAll(t, strings.NewReader(file))
	want := []struct {
		line    int
		problem string
	}{
		{2, ""},
		{3, "URN is missing"},
		{4, `URN "12a" is not a number`},
		{5, "establishment name is missing"},
		{6, `postcode "NOT A PC" is not a real postcode`},
		{7, "postcode is missing"},
		{8, "URN 200001 is repeated (first on line 2)"},
		{9, "has 10 fields, the header has 27"},
		{10, `establishment status "Sold" is not Open or Closed`},
		{11, `open date "31-02-2015" is not a date like 01-09-2006`},
		{12, ""},
		{14, "a quote mark is out of place, near character 20 of the line"},
		{15, ""},
	}
	if len(rows) != len(want) {
		for _, r := range rows {
			t.Logf("line %d: %q", r.Line, r.Problem)
		}
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		t.Run(w.problem, func(t *testing.T) {
			got := rows[i]
			if got.Line != w.line || got.Problem != w.problem {
				t.Errorf("got line %d %q, want line %d %q", got.Line, got.Problem, w.line, w.problem)
			}
			if (got.School == nil) == (w.problem == "") {
				t.Errorf("school %v with problem %q", got.School, got.Problem)
			}
		})
	}
}

func TestSeveralProblemsInOneRow(t *testing.T) {
	_, rows := readAll(t, strings.NewReader(giasFile(with(with(giasCafe, 0, ""), 4, ""))))
	want := "URN is missing; establishment name is missing"
	if len(rows) != 1 || rows[0].Problem != want {
		t.Fatalf("rows %+v, want one with %q", rows, want)
	}
}

func TestBadHeaders(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string
	}{
		{name: "empty file", file: "", want: "The schools file is empty"},
		{name: "not a schools file", file: "postcode,latitude,longitude\nDH1 3LE,54.7,-1.5\n",
			want: "This is not a schools file we know"},
		{name: "missing status column", file: "URN,EstablishmentName,Postcode\n1,A,DH1 3LE\n",
			want: `The schools file has no "EstablishmentStatus (name)" column`},
		{name: "missing two columns", file: "urn,name,town\n1,A,Durham\n",
			want: `The schools file has no "postcode" or "status_2022" column`},
		{name: "broken header", file: "URN,\"Establishment\"Name\n", want: "The first line of the schools file is not CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(strings.NewReader(tt.file))
			if app.ErrorCode(err) != app.EInvalid || !strings.HasPrefix(app.ErrorMessage(err), tt.want) {
				t.Errorf("err = %v, want invalid starting %q", err, tt.want)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	tests := []struct {
		typ  string
		want app.OrgKind
	}{
		{"Further education", app.KindCollege},
		{"Sixth form centres", app.KindCollege},
		{"Academy 16-19 converter", app.KindCollege},
		{"Free schools 16 to 19", app.KindCollege},
		{"Higher education institutions", app.KindCollege},
		{"Community school", app.KindSchool},
		{"Academy converter", app.KindSchool},
		{"", app.KindSchool},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			if got := kindOf(tt.typ); got != tt.want {
				t.Errorf("kindOf(%q) = %q, want %q", tt.typ, got, tt.want)
			}
		})
	}
}

func BenchmarkReadNorthEast(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		rd, err := NewReader(NorthEast())
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for row, ok := rd.Next(); ok; row, ok = rd.Next() {
			if row.School == nil {
				b.Fatalf("line %d: %s", row.Line, row.Problem)
			}
			n++
		}
		if n != 2442 {
			b.Fatalf("read %d rows, want 2442", n)
		}
	}
}
