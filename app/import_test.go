package app_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/app/gias"
	"github.com/encounters/encounters/app/mongo/mongotest"
	"github.com/encounters/encounters/app/places"
)

// importClock is a fixed clock that moves on a second each time it is read,
// so that a write shows in UpdatedAt.
type importClock struct{ t time.Time }

func (c *importClock) now() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

// newImportService returns a Service over a fresh database and the shipped
// gazetteer.
func newImportService(t testing.TB) *app.Service {
	t.Helper()
	g, err := places.Load()
	if err != nil {
		t.Fatalf("places.Load: %v", err)
	}
	clock := &importClock{t: time.Date(2025, time.September, 1, 8, 0, 0, 0, time.UTC)}
	return &app.Service{Store: mongotest.NewStore(t), Places: g, Now: clock.now}
}

// mustImport imports a schools file and returns the summary and the
// progress written.
func mustImport(t testing.TB, s *app.Service, file io.Reader) (app.ImportSummary, string) {
	t.Helper()
	var progress strings.Builder
	sum, err := gias.Import(context.Background(), s, file, &progress)
	if err != nil {
		t.Fatalf("import: %v\nprogress:\n%s", err, progress.String())
	}
	return sum, progress.String()
}

func mustGetOrg(t testing.TB, s *app.Service, id string) *app.Organisation {
	t.Helper()
	o, err := s.Store.GetOrg(context.Background(), id)
	if err != nil {
		t.Fatalf("GetOrg(%s): %v", id, err)
	}
	return o
}

func wantSummary(t testing.TB, sum app.ImportSummary, want string) {
	t.Helper()
	if sum.String() != want {
		t.Errorf("summary %q, want %q; rejects %+v", sum, want, sum.Rejects)
	}
}

func TestImportCountyDurham(t *testing.T) {
	s := newImportService(t)
	sum, progress := mustImport(t, s, gias.CountyDurham())
	wantSummary(t, sum, "read=488 created=488 updated=0 unchanged=0 rejected=0")

	t.Run("progress every 100 rows", func(t *testing.T) {
		for _, n := range []string{"100", "200", "300", "400"} {
			if !strings.Contains(progress, "\n"+n+" rows read: ") && !strings.HasPrefix(progress, n+" rows read: ") {
				t.Errorf("no progress line for %s rows in:\n%s", n, progress)
			}
		}
	})
	t.Run("outcode fallbacks are noted", func(t *testing.T) {
		// Eight school postcodes are newer than Code-Point Open 2014.
		if got := strings.Count(progress, "is not in Code-Point Open"); got != 8 {
			t.Errorf("%d outcode notes, want 8:\n%s", got, progress)
		}
		if !strings.Contains(progress, "URN 114048: postcode DH7 0HX is not in Code-Point Open, so it is placed at the centre of DH7") {
			t.Errorf("no note for URN 114048 in:\n%s", progress)
		}
	})

	tests := []struct {
		id        string
		status    string
		precision string
		lat, lon  float64
	}{
		{id: "urn-109302", status: app.OrgOpen, precision: app.PrecisionPostcode, lat: 54.621752, lon: -1.580984},
		{id: "urn-113967", status: app.OrgClosed, precision: app.PrecisionPostcode, lat: 54.850814, lon: -1.584098},
		{id: "urn-114048", status: app.OrgClosed, precision: app.PrecisionOutcode},
	}
	for _, tt := range tests {
		t.Run("stored "+tt.id, func(t *testing.T) {
			o := mustGetOrg(t, s, tt.id)
			if o.Status != tt.status || o.Location.Precision != tt.precision || o.Kind != app.KindSchool {
				t.Errorf("got status %q precision %q kind %q, want %q %q school",
					o.Status, o.Location.Precision, o.Kind, tt.status, tt.precision)
			}
			if tt.lat != 0 && (abs(o.Location.Lat-tt.lat) > 1e-5 || abs(o.Location.Lon-tt.lon) > 1e-5) {
				t.Errorf("at %v, want %v,%v", o.Location, tt.lat, tt.lon)
			}
			if o.CreatedAt.IsZero() || !o.UpdatedAt.Equal(o.CreatedAt) {
				t.Errorf("created %v updated %v, want both set and equal", o.CreatedAt, o.UpdatedAt)
			}
		})
	}

	t.Run("importing again changes nothing", func(t *testing.T) {
		before := mustGetOrg(t, s, "urn-109302")
		sum, _ := mustImport(t, s, gias.CountyDurham())
		wantSummary(t, sum, "read=488 created=0 updated=0 unchanged=488 rejected=0")
		if after := mustGetOrg(t, s, "urn-109302"); *after != *before {
			t.Errorf("record rewritten:\nbefore %+v\nafter  %+v", before, after)
		}
	})
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// countyFileWith returns the shipped county file with text replaced.
func countyFileWith(t testing.TB, pairs ...string) io.Reader {
	t.Helper()
	b, err := io.ReadAll(gias.CountyDurham())
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(text, pairs[i]) {
			t.Fatalf("county file has no %q", pairs[i])
		}
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	return strings.NewReader(text)
}

func TestImportUpdatesAndPreserves(t *testing.T) {
	ctx := context.Background()
	s := newImportService(t)
	mustImport(t, s, gias.CountyDurham())

	// What the marketplace has added to one school since it was imported.
	o := mustGetOrg(t, s, "urn-109302")
	o.Verified, o.Claimed, o.EncountersThisYear, o.IMDDecile = true, true, 3, 2
	o.Website = "https://woodhamburn.example"
	if err := s.Store.UpsertOrg(ctx, o); err != nil {
		t.Fatal(err)
	}
	before := mustGetOrg(t, s, "urn-109302")

	sum, _ := mustImport(t, s, countyFileWith(t,
		"109302,Woodham Burn Community Primary School,", "109302,Woodham Burn Primary School,",
		`Primary School, Durham",Durham,DH1 2HZ,,,open,`,
		`Primary School, Durham",Durham,DH1 2HZ,,31-08-2024,closed,`,
	))
	wantSummary(t, sum, "read=488 created=0 updated=2 unchanged=486 rejected=0")

	after := mustGetOrg(t, s, "urn-109302")
	want := *before
	want.Name = "Woodham Burn Primary School"
	want.UpdatedAt = after.UpdatedAt
	if *after != want {
		t.Errorf("after update:\ngot  %+v\nwant %+v", *after, want)
	}
	if !after.UpdatedAt.After(before.UpdatedAt) {
		t.Errorf("UpdatedAt %v not after %v", after.UpdatedAt, before.UpdatedAt)
	}

	closed := mustGetOrg(t, s, "urn-114270")
	if closed.Status != app.OrgClosed || closed.CloseDate != "2024-08-31" || closed.CanBook() {
		t.Errorf("closed school: status %q close %q can book %v", closed.Status, closed.CloseDate, closed.CanBook())
	}
}

func TestImportRejectsBadRows(t *testing.T) {
	s := newImportService(t)
	mustImport(t, s, gias.CountyDurham())
	before := mustGetOrg(t, s, "urn-109302")

	header := "urn,name,town,postcode,open_date,close_date,status_2022,la_district_code,la_district_name," +
		"latitude,longitude,admin_ward_code_2014,geo_method,type_2017_if_known,phase_2017_if_known," +
		"stat_low_age_2017_if_known,stat_high_age_2017_if_known\n"
	row := func(urn, name, postcode, status string) string {
		return urn + "," + name + ",Durham," + postcode + ",,," + status + ",E06000047,County Durham,,,,,,,,\n"
	}
	file := header +
		row("900001", "New Free School", "DH1 3LE", "open") + // line 2: created
		row("", "No URN School", "DH1 3LE", "open") + // 3
		row("109302", "Woodham Burn Renamed", "ZZ9 9ZZ", "open") + // 4: cannot be placed
		row("109302", "Woodham Burn Renamed", "DL5 4EX", "") + // 5: no status, and a repeat
		row("900002", "", "DH1 3LE", "open") + // 6
		"900003,Short Row\n" // 7

	sum, progress := mustImport(t, s, strings.NewReader(file))
	wantSummary(t, sum, "read=6 created=1 updated=0 unchanged=0 rejected=5")
	want := []app.Reject{
		{Line: 3, Reason: "URN is missing"},
		{Line: 4, Reason: "Postcode ZZ9 9ZZ is not a UK postcode we can place"},
		{Line: 5, Reason: "URN 109302 is repeated (first on line 4); establishment status is missing"},
		{Line: 6, Reason: "establishment name is missing"},
		{Line: 7, Reason: "has 2 fields, the header has 17"},
	}
	for i, w := range want {
		if i >= len(sum.Rejects) || sum.Rejects[i] != w {
			t.Errorf("reject %d: got %+v, want %+v", i, sum.Rejects, w)
			continue
		}
		if line := "line " + strconv.Itoa(w.Line) + ": " + w.Reason + "\n"; !strings.Contains(progress, line) {
			t.Errorf("progress lacks %q:\n%s", line, progress)
		}
	}

	if after := mustGetOrg(t, s, "urn-109302"); *after != *before {
		t.Errorf("rejected rows changed the record:\nbefore %+v\nafter  %+v", before, after)
	}
	if o := mustGetOrg(t, s, "urn-900001"); o.Name != "New Free School" {
		t.Errorf("good row stored as %+v", o)
	}
}

func TestImportEduBaseLayout(t *testing.T) {
	s := newImportService(t)
	open := func() io.Reader {
		f, err := os.Open("gias/testdata/edubase_2017_county_durham_subset.csv")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}

	sum, _ := mustImport(t, s, open())
	wantSummary(t, sum, "read=102 created=102 updated=0 unchanged=0 rejected=0")
	o := mustGetOrg(t, s, "urn-114310")
	if o.Name != "Durham Sixth Form Centre" || o.LowAge != 16 || o.HighAge != 19 || o.Source != "edubase" {
		t.Errorf("stored %+v", o)
	}

	sum, _ = mustImport(t, s, open())
	wantSummary(t, sum, "read=102 created=0 updated=0 unchanged=102 rejected=0")
}

// Real County Durham LSOAs from the English Indices of Deprivation 2019,
// given to the schools of currentGIASFile (they are not the schools' own).
const (
	lsoaDecile1 = "E01020592" // County Durham 011A
	lsoaDecile9 = "E01020600" // County Durham 013C
)

// currentGIASFile is a small file in today's GIAS layout, encoded in
// Windows-1252 as GIAS publishes it: New College Durham, in an area of IMD
// decile 9, and a primary school in the LSOA schoolLSOA.
func currentGIASFile(t testing.TB, urbanRural, schoolLSOA string) io.Reader {
	t.Helper()
	text := "URN,LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name)," +
		"OpenDate,CloseDate,PhaseOfEducation (name),StatutoryLowAge,StatutoryHighAge,Town,Postcode," +
		"SchoolWebsite,UrbanRural (name),LSOA (code)\r\n" +
		"130659,County Durham,New College Durham,Further education,Open,,,Not applicable,16,99," +
		"Durham,DH1 5ES,www.newcollegedurham.ac.uk,\"" + urbanRural + "\"," + lsoaDecile9 + "\r\n" +
		"200001,County Durham,École Saint-Cuthbert’s Primary,Community school,\"Open, but proposed to close\"," +
		"01-09-2006,,Primary,4,11,Barnard Castle,DL12 8HE,,(England/Wales) Rural town and fringe," +
		schoolLSOA + "\r\n"
	encoded, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	if encoded == text {
		t.Fatal("the Windows-1252 file is the same as UTF-8; the test would prove nothing")
	}
	return bytes.NewReader([]byte(encoded))
}

func TestImportCurrentGIASWindows1252(t *testing.T) {
	s := newImportService(t)
	sum, _ := mustImport(t, s, currentGIASFile(t, "(England/Wales) Urban city and town", lsoaDecile1))
	wantSummary(t, sum, "read=2 created=2 updated=0 unchanged=0 rejected=0")

	tests := []struct {
		id    string
		name  string
		kind  app.OrgKind
		rural bool
	}{
		{id: "urn-130659", name: "New College Durham", kind: app.KindCollege},
		{id: "urn-200001", name: "École Saint-Cuthbert’s Primary", kind: app.KindSchool, rural: true},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			o := mustGetOrg(t, s, tt.id)
			if o.Name != tt.name || o.Kind != tt.kind || o.Rural != tt.rural || o.Status != app.OrgOpen {
				t.Errorf("stored name %q kind %q rural %v status %q, want %q %q %v open",
					o.Name, o.Kind, o.Rural, o.Status, tt.name, tt.kind, tt.rural)
			}
		})
	}

	t.Run("the 2022 extract keeps what it does not know", func(t *testing.T) {
		// The 2022 extract has New College Durham with no type, phase or
		// ages and no UrbanRural column: those stay as GIAS gave them.
		sum, _ := mustImport(t, s, gias.CountyDurham())
		wantSummary(t, sum, "read=488 created=487 updated=1 unchanged=0 rejected=0")
		o := mustGetOrg(t, s, "urn-130659")
		if o.Kind != app.KindCollege || o.SchoolType != "Further education" || o.HighAge != 99 ||
			o.Website != "http://www.newcollegedurham.ac.uk" || o.Source != "gias2022" {
			t.Errorf("after the 2022 import: %+v", o)
		}
	})

	t.Run("UrbanRural is owned when given", func(t *testing.T) {
		mustImport(t, s, currentGIASFile(t, "(England/Wales) Rural village", lsoaDecile1))
		if o := mustGetOrg(t, s, "urn-130659"); !o.Rural {
			t.Errorf("Rural false after a file that says rural village")
		}
	})
}

// plainGazetteer hides every method of a gazetteer but those of
// app.Gazetteer, as a gazetteer that knows no deprivation would.
type plainGazetteer struct{ app.Gazetteer }

func TestImportDeprivation(t *testing.T) {
	const urban = "(England/Wales) Urban city and town"
	s := newImportService(t)
	sum, _ := mustImport(t, s, currentGIASFile(t, urban, lsoaDecile1))
	wantSummary(t, sum, "read=2 created=2 updated=0 unchanged=0 rejected=0")

	wantArea := func(t *testing.T, s *app.Service, id, lsoa string, decile int) {
		t.Helper()
		if o := mustGetOrg(t, s, id); o.LSOA != lsoa || o.IMDDecile != decile {
			t.Errorf("%s stored LSOA %q decile %d, want %q %d", id, o.LSOA, o.IMDDecile, lsoa, decile)
		}
	}
	t.Run("deciles come from the LSOA", func(t *testing.T) {
		wantArea(t, s, "urn-200001", lsoaDecile1, 1)
		wantArea(t, s, "urn-130659", lsoaDecile9, 9)
	})
	t.Run("importing again changes nothing", func(t *testing.T) {
		sum, _ := mustImport(t, s, currentGIASFile(t, urban, lsoaDecile1))
		wantSummary(t, sum, "read=2 created=0 updated=0 unchanged=2 rejected=0")
	})
	t.Run("the deprived school gets the equity reason", func(t *testing.T) {
		wantDeprivationReason(t, mustGetOrg(t, s, "urn-200001"),
			"This school serves one of the most deprived areas in England (IMD decile 1)")
		wantDeprivationReason(t, mustGetOrg(t, s, "urn-130659"), "")
	})
	t.Run("the 2022 extract, with no LSOA, keeps the area", func(t *testing.T) {
		mustImport(t, s, gias.CountyDurham())
		wantArea(t, s, "urn-130659", lsoaDecile9, 9)
	})
	t.Run("an LSOA outside the North East keeps the decile", func(t *testing.T) {
		sum, _ := mustImport(t, s, currentGIASFile(t, urban, "E01000001"))
		wantSummary(t, sum, "read=2 created=0 updated=2 unchanged=0 rejected=0")
		wantArea(t, s, "urn-200001", "E01000001", 1)
	})
	t.Run("a gazetteer without deprivation sets the LSOA only", func(t *testing.T) {
		bare := newImportService(t)
		bare.Places = plainGazetteer{bare.Places}
		mustImport(t, bare, currentGIASFile(t, urban, lsoaDecile1))
		wantArea(t, bare, "urn-200001", lsoaDecile1, 0)
	})
}

// wantDeprivationReason scores a virtual careers talk for school and checks
// the reason that matching gives for its area: want, or none when want is
// empty.
func wantDeprivationReason(t *testing.T, school *app.Organisation, want string) {
	t.Helper()
	now := time.Date(2025, time.September, 1, 9, 0, 0, 0, app.London)
	req := &app.Request{
		Type: app.TypeCareersTalk, Audience: []string{"y10"}, GroupSize: 30,
		From: now, To: now.AddDate(0, 2, 0), VirtualOK: true,
	}
	offer := &app.Offer{
		Type: app.TypeCareersTalk, Audience: []string{"y10"}, Delivery: app.DeliveryVirtual, Public: true,
	}
	m, ok := app.ScoreMatch(req, school, offer, app.Session{Start: now.AddDate(0, 0, 14), Places: 60}, now)
	if !ok {
		t.Fatalf("%s: no match", school.ID)
	}

	var got string
	for _, r := range m.Reasons {
		if strings.Contains(r, "most deprived") {
			got = r
		}
	}
	if got != want {
		t.Errorf("%s: deprivation reason %q, want %q; reasons %q", school.ID, got, want, m.Reasons)
	}
}

func TestImportStops(t *testing.T) {
	s := newImportService(t)
	tests := []struct {
		name string
		run  func() error
		code string
	}{
		{name: "cancelled", code: app.EInternal, run: func() error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := gias.Import(ctx, s, gias.CountyDurham(), io.Discard)
			return err
		}},
		{name: "not a schools file", code: app.EInvalid, run: func() error {
			_, err := gias.Import(context.Background(), s, strings.NewReader("a,b\n1,2\n"), io.Discard)
			return err
		}},
		{name: "no gazetteer", code: app.EInternal, run: func() error {
			bare := &app.Service{Store: s.Store}
			_, err := gias.Import(context.Background(), bare, gias.CountyDurham(), io.Discard)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); app.ErrorCode(err) != tt.code {
				t.Errorf("err = %v, want code %s", err, tt.code)
			}
		})
	}
	if _, err := s.Store.GetOrg(context.Background(), "urn-109302"); app.ErrorCode(err) != app.ENotFound {
		t.Errorf("a stopped import saved a school: %v", err)
	}
}

// BenchmarkImportNorthEast imports the 2,442 North East schools into an
// empty database (create) and again over themselves (unchanged).
func BenchmarkImportNorthEast(b *testing.B) {
	b.Run("create", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s := newImportService(b)
			b.StartTimer()
			sum, _ := mustImport(b, s, gias.NorthEast())
			if sum.Created != 2442 {
				b.Fatalf("summary %s", sum)
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		s := newImportService(b)
		mustImport(b, s, gias.NorthEast())
		for b.Loop() {
			sum, _ := mustImport(b, s, gias.NorthEast())
			if sum.Unchanged != 2442 {
				b.Fatalf("summary %s", sum)
			}
		}
	})
}

// An older file that still lists a school as open cannot reopen it: a
// school that reopens gets a new URN.
func TestImportNeverReopensAClosedSchool(t *testing.T) {
	s := newImportService(t)
	mustImport(t, s, countyFileWith(t,
		`Primary School, Durham",Durham,DH1 2HZ,,,open,`,
		`Primary School, Durham",Durham,DH1 2HZ,,31-08-2024,closed,`,
	))
	if got := mustGetOrg(t, s, "urn-114270"); got.Status != app.OrgClosed {
		t.Fatalf("setup: status %q", got.Status)
	}

	sum, progress := mustImport(t, s, gias.CountyDurham())
	wantSummary(t, sum, "read=488 created=0 updated=0 unchanged=488 rejected=0")
	if !strings.Contains(progress, "URN 114270 is closed here and open in this file") {
		t.Errorf("progress does not say the school stays closed:\n%s", progress)
	}
	got := mustGetOrg(t, s, "urn-114270")
	if got.Status != app.OrgClosed || got.CloseDate != "2024-08-31" || got.CanBook() {
		t.Errorf("closed school reopened: status %q close %q", got.Status, got.CloseDate)
	}
}

// First start and the demo seed add only missing schools, so a newer file
// a person imported first is never overwritten by the shipped one.
func TestImportNewSchoolsLeavesStoredSchoolsAlone(t *testing.T) {
	ctx := context.Background()
	s := newImportService(t)
	mustImport(t, s, countyFileWith(t,
		"109302,Woodham Burn Community Primary School,", "109302,Woodham Burn Primary School,"))

	rows, err := gias.NewReader(gias.CountyDurham())
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.ImportNewSchools(ctx, rows, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantSummary(t, sum, "read=488 created=0 updated=0 unchanged=488 rejected=0")
	if got := mustGetOrg(t, s, "urn-109302"); got.Name != "Woodham Burn Primary School" {
		t.Errorf("the shipped file overwrote a newer name: %q", got.Name)
	}
}
