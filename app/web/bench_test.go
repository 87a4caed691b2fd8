package web

// Benchmarks of "Find opportunities" through the JSON API at county scale:
// offers stored in FerretDB and indexed in Bleve, searched with real HTTP
// requests through the Fiber app. They run only with -bench.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/search"
)

// benchPlace is a real County Durham postcode (Code-Point Open) and the
// town it is in.
type benchPlace struct {
	postcode, town string
}

// benchPlaces are postcodes within a kilometre of each town centre, and
// three business parks (Newton Aycliffe, NETPark, Integra 61).
var benchPlaces = []benchPlace{
	{"DH1 3AF", "Durham"}, {"DH1 4SL", "Durham"},
	{"DH3 3QY", "Chester-le-Street"}, {"DH3 3DU", "Chester-le-Street"},
	{"DH8 5AR", "Consett"}, {"DH8 6AL", "Consett"},
	{"DH9 0NH", "Stanley"}, {"DH9 0DQ", "Stanley"},
	{"SR7 7XD", "Seaham"}, {"SR7 7SF", "Seaham"},
	{"SR8 1BT", "Peterlee"}, {"SR8 5HA", "Peterlee"},
	{"DL16 6DB", "Spennymoor"}, {"DL16 7NA", "Spennymoor"},
	{"DL14 7DU", "Bishop Auckland"}, {"DL14 7DE", "Bishop Auckland"},
	{"DL5 7AF", "Newton Aycliffe"}, {"DL5 6EP", "Newton Aycliffe"},
	{"DL4 1DL", "Shildon"}, {"DL4 2EN", "Shildon"},
	{"TS21 2AE", "Sedgefield"}, {"TS21 3FD", "Sedgefield"},
	{"DL17 8BF", "Ferryhill"}, {"DL17 8NF", "Ferryhill"},
	{"DH6 5QD", "Bowburn"}, {"DH6 5LN", "Bowburn"},
	{"DL15 9UA", "Crook"}, {"DL15 8LN", "Crook"},
	{"DH7 0LB", "Lanchester"}, {"DH7 0NQ", "Lanchester"},
	{"DL13 2UP", "Stanhope"},
	{"DL12 8LS", "Barnard Castle"}, {"DL12 8GE", "Barnard Castle"},
	{"DL12 0SW", "Middleton-in-Teesdale"},
}

// benchSector holds the words offers of one sector are made of.
type benchSector struct {
	value      string
	jobs       []string
	workplaces []string
	names      []string
}

var benchSectors = []benchSector{
	{"engineering", []string{"mechanical engineer", "welder", "CNC machinist", "quality inspector"},
		[]string{"factory", "fabrication workshop"}, []string{"Precision Engineering", "Fabrications"}},
	{"construction", []string{"site manager", "bricklayer", "quantity surveyor", "electrician"},
		[]string{"building site", "joinery workshop"}, []string{"Construction", "Civils"}},
	{"digital", []string{"software developer", "data analyst", "network engineer"},
		[]string{"software studio", "IT service desk"}, []string{"Digital", "Software"}},
	{"health", []string{"nurse", "radiographer", "laboratory scientist", "pharmacist"},
		[]string{"hospital ward", "science laboratory"}, []string{"Health Trust", "Diagnostics"}},
	{"care", []string{"care assistant", "support worker", "occupational therapist"},
		[]string{"care home", "day centre"}, []string{"Care Group", "Homecare"}},
	{"logistics", []string{"warehouse operative", "HGV driver", "logistics planner"},
		[]string{"distribution centre", "bus depot"}, []string{"Logistics", "Freight"}},
	{"catering", []string{"chef", "hotel manager", "events coordinator"},
		[]string{"hotel kitchen", "conference centre"}, []string{"Hotels", "Kitchens"}},
	{"agriculture", []string{"farm manager", "ranger", "veterinary nurse"},
		[]string{"hill farm", "nature reserve"}, []string{"Farms", "Countryside Trust"}},
	{"legal_finance", []string{"accountant", "solicitor", "payroll officer"},
		[]string{"accountancy practice", "law firm"}, []string{"Accountants", "Solicitors"}},
	{"public", []string{"planning officer", "librarian", "council officer"},
		[]string{"council offices", "county library"}, []string{"Town Council", "Civic Trust"}},
	{"retail", []string{"store manager", "visual merchandiser", "buyer"},
		[]string{"shop floor", "retail park"}, []string{"Retail", "Stores"}},
	{"creative", []string{"graphic designer", "photographer", "video editor"},
		[]string{"design studio", "print works"}, []string{"Creative", "Studios"}},
}

// benchKind is an offer type, how its titles read and whom it serves.
type benchKind struct {
	value    string
	title    func(job, workplace string) string
	audience func(r *rand.Rand) []string
}

var benchKinds = []benchKind{
	{app.TypeCareersTalk, func(j, _ string) string { return "Careers talk: life as a " + j }, benchYears},
	{app.TypeCareersTalk, func(j, w string) string { return "Meet a " + j + " from our " + w }, benchYears},
	{app.TypeWorkplaceVisit, func(j, w string) string { return "Visit our " + w + " and meet a " + j }, benchYears},
	{app.TypeWorkExperience, func(j, w string) string { return "Work experience as a " + j + " at our " + w },
		benchWorkExperience},
	{app.TypeTeacherPlacement, func(j, w string) string { return "Teacher industry placement: " + j + " in a " + w },
		benchOnly(app.AudienceTeachers)},
	{app.TypeAdultWorkTrial, func(j, w string) string { return "Work trial: trainee " + j + " at our " + w },
		benchOnly(app.AudienceAdults)},
	{app.TypeMentoring, func(j, _ string) string { return "Mentoring from a " + j }, benchYears},
	{app.TypeCareersFair, func(j, _ string) string { return "Careers fair stand: " + j + " jobs" }, benchYears},
}

// benchYears is one to three school years from Year 5 to Year 13.
func benchYears(r *rand.Rand) []string {
	first := 5 + r.IntN(9)
	var out []string
	for y := first; y <= min(13, first+r.IntN(3)); y++ {
		out = append(out, fmt.Sprintf("y%d", y))
	}
	return out
}

func benchWorkExperience(r *rand.Rand) []string {
	return [][]string{{"y10"}, {"y10", "y11"}, {"y12"}}[r.IntN(3)]
}

func benchOnly(code string) func(*rand.Rand) []string {
	return func(*rand.Rand) []string { return []string{code} }
}

// benchEmployer is an employer of the benchmark market: its offers share
// its sector and place.
type benchEmployer struct {
	id, name string
	sector   benchSector
	place    benchPlace
}

func newBenchEmployer(r *rand.Rand, i int) benchEmployer {
	s := benchSectors[r.IntN(len(benchSectors))]
	p := benchPlaces[r.IntN(len(benchPlaces))]
	return benchEmployer{id: fmt.Sprintf("emp_bench_%05d", i), sector: s, place: p,
		name: p.town + " " + s.names[r.IntN(len(s.names))]}
}

// benchMarket makes public offers whose upcoming sessions add up to
// exactly sessions: five offers per employer, one to seven sessions each
// (four on average) on weekdays of the six months after now, in real places
// around County Durham (one offer in seven virtual). The same seed gives
// the same market, apart from the dates.
func benchMarket(sessions int, seed uint64, at map[string]app.Location, now time.Time) []*app.Offer {
	r := rand.New(rand.NewPCG(seed, 0x6d61726b6574))
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, app.London)

	var out []*app.Offer
	var emp benchEmployer
	for total := 0; total < sessions; {
		if len(out)%5 == 0 {
			emp = newBenchEmployer(r, len(out)/5)
		}
		o := benchOffer(r, len(out), emp, at, now)
		n := min(1+r.IntN(7), sessions-total)
		for k := range n {
			o.Sessions = append(o.Sessions, benchSession(r, k, today))
		}
		out = append(out, o)
		total += n
	}
	return out
}

func benchOffer(r *rand.Rand, i int, emp benchEmployer, at map[string]app.Location, now time.Time) *app.Offer {
	kind := benchKinds[r.IntN(len(benchKinds))]
	s, p := emp.sector, emp.place
	job, workplace := s.jobs[r.IntN(len(s.jobs))], s.workplaces[r.IntN(len(s.workplaces))]

	o := &app.Offer{
		ID: fmt.Sprintf("off_bench_%06d", i), OrgID: emp.id, OrgName: emp.name,
		Title: kind.title(job, workplace),
		Description: fmt.Sprintf("Meet a %s and find out what a working day at our %s in %s is like.",
			job, workplace, p.town),
		Type: kind.value, Sector: s.value, Audience: kind.audience(r),
		Delivery: app.DeliveryInPerson, Postcode: p.postcode, Location: at[p.postcode],
		Status: app.OfferPublished, Public: true, CreatedAt: now, UpdatedAt: now,
	}
	for _, a := range app.AccessFeatures {
		if r.IntN(3) == 0 {
			o.Access = append(o.Access, a.Value)
		}
	}
	switch r.IntN(7) {
	case 0:
		o.Delivery, o.Postcode, o.Location = app.DeliveryVirtual, "", app.Location{}
	case 1:
		o.Delivery = app.DeliveryHybrid
	}
	return o
}

// benchSession is the k-th session of an offer: one to three hours in
// the working day, on a weekday among the 182 days after today.
func benchSession(r *rand.Rand, k int, today time.Time) app.Session {
	day := today.AddDate(0, 0, 1+r.IntN(182))
	switch day.Weekday() {
	case time.Saturday:
		day = day.AddDate(0, 0, 2)
	case time.Sunday:
		day = day.AddDate(0, 0, 1)
	}

	start := day.Add(time.Duration(9+r.IntN(6)) * time.Hour)
	return app.Session{
		ID: fmt.Sprintf("ses_%d", k+1), Start: start, End: start.Add(time.Duration(1+r.IntN(3)) * time.Hour),
		Places: 10 + r.IntN(50),
	}
}

// benchLocations places every benchPlace through the shipped gazetteer.
func benchLocations(b *testing.B, ts *testServer) map[string]app.Location {
	b.Helper()
	at := make(map[string]app.Location, len(benchPlaces))
	for _, p := range benchPlaces {
		_, loc, err := ts.Svc.Places.Postcode(context.Background(), p.postcode)
		if err != nil || loc.Precision != app.PrecisionPostcode {
			b.Fatalf("place %s: %+v, %v", p.postcode, loc, err)
		}
		at[p.postcode] = loc
	}
	return at
}

// benchLoad writes the offers to the store, a few at a time, and indexes
// them in batches of 500, as a reindex would. It logs how long each took
// (shown with -v).
func benchLoad(b *testing.B, ts *testServer, offers []*app.Offer, now time.Time) {
	b.Helper()
	ctx := context.Background()
	towns := make(map[string]string, len(benchPlaces))
	for _, p := range benchPlaces {
		towns[p.postcode] = p.town
	}

	started := time.Now()
	benchStore(b, ts, offers)
	stored := time.Since(started)

	started = time.Now()
	for start := 0; start < len(offers); start += 500 {
		batch := offers[start:min(start+500, len(offers))]
		docs := make([]search.Document, len(batch))
		for i, o := range batch {
			docs[i] = app.OfferDocument(o, towns[o.Postcode], now)
		}
		if err := ts.Svc.Index.Upsert(ctx, docs...); err != nil {
			b.Fatalf("index offers: %v", err)
		}
	}
	b.Logf("set up %d offers: stored in FerretDB in %s, indexed in Bleve in %s", len(offers),
		stored.Round(time.Millisecond), time.Since(started).Round(time.Millisecond))
}

// benchStore creates the offers in the store with a few concurrent
// writers, which keeps FerretDB busy while the driver waits.
func benchStore(b *testing.B, ts *testServer, offers []*app.Offer) {
	b.Helper()
	const writers = 4
	work := make(chan *app.Offer)
	errs := make(chan error, 1) // the first error; the others are dropped
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for o := range work {
				if err := ts.Store.CreateOffer(context.Background(), o); err != nil {
					select {
					case errs <- fmt.Errorf("create offer %s: %w", o.ID, err):
					default:
					}
				}
			}
		})
	}

	for _, o := range offers {
		work <- o
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
}

// benchFind sends one GET to the app and returns the status and body.
func benchFind(b *testing.B, ts *testServer, target string) (int, []byte) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	res, err := ts.App().Test(req, -1)
	if err != nil {
		b.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.Fatalf("read %s: %v", target, err)
	}
	return res.StatusCode, body
}

// BenchmarkSearchHTTP measures GET /api/v1/offers through the whole
// server, from the request to the JSON of 20 offers read from FerretDB,
// over a county market of 2,000 and 20,000 upcoming sessions (about four
// per offer): a keyword search, and a search near a Durham postcode,
// nearest first, for Key Stage 4. Setting up the market is not timed; it
// is logged (go test -v).
func BenchmarkSearchHTTP(b *testing.B) {
	queries := []struct{ name, target string }{
		{"keyword", "/api/v1/offers?q=engineering"},
		{"near_distance_facet", "/api/v1/offers?near=DH1+3LE&within_km=30&sort=distance&audience=ks4"},
	}

	for _, sessions := range []int{2_000, 20_000} {
		b.Run(fmt.Sprintf("sessions=%d", sessions), func(b *testing.B) {
			ts, offers := benchServer(b, sessions)
			for _, q := range queries {
				b.Run(fmt.Sprintf("offers=%d/%s", offers, q.name), func(b *testing.B) {
					benchQuery(b, ts, q.target)
				})
			}
		})
	}
}

// benchServer is a test server holding a market of the given number of
// sessions; it returns how many offers that took.
func benchServer(b *testing.B, sessions int) (*testServer, int) {
	b.Helper()
	ts := newTestServer(b)
	now := time.Now()
	offers := benchMarket(sessions, 42, benchLocations(b, ts), now)
	benchLoad(b, ts, offers, now)
	return ts, len(offers)
}

// benchQuery checks once that target finds offers, then times it. It
// reports the total found and the offers on the page.
func benchQuery(b *testing.B, ts *testServer, target string) {
	status, body := benchFind(b, ts, target)
	var page struct {
		Total   int               `json:"total"`
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(body, &page); status != http.StatusOK || err != nil || len(page.Results) == 0 {
		b.Fatalf("GET %s: status %d, %v\n%.500s", target, status, err, body)
	}

	for b.Loop() {
		if status, body := benchFind(b, ts, target); status != http.StatusOK {
			b.Fatalf("GET %s: status %d\n%.500s", target, status, body)
		}
	}
	b.ReportMetric(float64(page.Total), "found")
	b.ReportMetric(float64(len(page.Results)), "shown")
}
