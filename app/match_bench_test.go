package app_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
	"github.com/encounters/encounters/search"
)

// benchOffers makes n public offers of 10 sessions each, spread over
// County Durham and the 120 days after matchNow, with types, sectors,
// audiences and delivery drawn from a fixed seed. types limits the types
// drawn.
func benchOffers(n int, types []string) []*app.Offer {
	rng := rand.New(rand.NewPCG(1, 2))
	years := []string{"y7", "y8", "y9", "y10", "y11", "y12", "y13"}
	deliveries := []string{app.DeliveryInPerson, app.DeliveryInPerson, app.DeliveryHybrid, app.DeliveryVirtual}

	offers := make([]*app.Offer, n)
	for i := range offers {
		first := rng.IntN(len(years) - 2)
		o := &app.Offer{
			ID: fmt.Sprintf("bench-%05d", i), OrgID: fmt.Sprintf("emp-%03d", i%300), OrgName: "Employer",
			Title: "Offer", Description: "A bench offer about engineering and robotics.",
			Type: types[rng.IntN(len(types))], Sector: app.Sectors[rng.IntN(len(app.Sectors))].Value,
			Audience: years[first : first+3], Delivery: deliveries[rng.IntN(len(deliveries))],
			Access: []string{app.AccessStepFree}, Status: app.OfferPublished, Public: true,
			Location: app.Location{
				Lat: 54.55 + rng.Float64()*0.35, Lon: -2.1 + rng.Float64()*0.8, Precision: app.PrecisionPostcode,
			},
		}
		for s := range 10 {
			day := matchNow.AddDate(0, 0, 1+rng.IntN(120))
			start := time.Date(day.Year(), day.Month(), day.Day(), 9+rng.IntN(6), 0, 0, 0, app.London)
			o.Sessions = append(o.Sessions, app.Session{
				ID: fmt.Sprintf("s%d", s), Start: start, End: start.Add(time.Hour), Places: 10 + rng.IntN(90),
			})
		}
		offers[i] = o
	}
	return offers
}

// benchRequest is 30 Year 9 pupils in Consett wanting a workplace visit in
// the next 60 days within 25 km, or virtually.
func benchRequest() (*app.Request, *app.Organisation) {
	r := scoreRequest()
	r.Audience, r.GroupSize, r.TravelKm, r.VirtualOK = []string{"y9"}, 30, 25, true
	r.From, r.To = matchNow, matchNow.AddDate(0, 0, 60)
	return r, scoreSchool()
}

// BenchmarkScoreMatch scores one request against 20,000 sessions (2,000
// offers of its type) and sorts the matches: the work MatchRequest does
// after the index, without I/O.
func BenchmarkScoreMatch(b *testing.B) {
	offers := benchOffers(2000, []string{app.TypeWorkplaceVisit})
	req, school := benchRequest()

	var matched int
	for b.Loop() {
		var ms []app.Match
		for _, o := range offers {
			for _, s := range o.Sessions {
				if m, ok := app.ScoreMatch(req, school, o, s, matchNow); ok {
					ms = append(ms, m)
				}
			}
		}
		sort.Slice(ms, func(i, j int) bool { return ms[i].Score > ms[j].Score })
		matched = len(ms)
	}
	b.ReportMetric(float64(matched), "matches")
}

// BenchmarkMatchRequest runs MatchRequest through the real engines with
// offers of every type in FerretDB and Bleve, 10 sessions each, and one
// request in Consett. Most of the time goes on fetching the candidate
// offers from FerretDB by id.
func BenchmarkMatchRequest(b *testing.B) {
	types := make([]string, len(app.OfferTypes))
	for i, c := range app.OfferTypes {
		types[i] = c.Value
	}
	for _, n := range []int{200, 2000} {
		b.Run(fmt.Sprintf("sessions=%d", n*10), func(b *testing.B) {
			benchMatchRequest(b, benchOffers(n, types))
		})
	}
}

func benchMatchRequest(b *testing.B, offers []*app.Offer) {
	ctx := context.Background()
	svc := matchMarket(b)
	benchLoad(b, svc, offers)
	req, school := benchRequest()
	if err := svc.Store.CreateOrg(ctx, school); err != nil {
		b.Fatal(err)
	}
	if err := svc.Store.CreateRequest(ctx, req); err != nil {
		b.Fatal(err)
	}

	var matched int
	for b.Loop() {
		ms, err := svc.MatchRequest(ctx, nil, req.ID, 20)
		if err != nil {
			b.Fatal(err)
		}
		matched = len(ms)
	}
	b.ReportMetric(float64(matched), "matches")
}

// benchLoad stores and indexes offers.
func benchLoad(b *testing.B, svc *app.Service, offers []*app.Offer) {
	b.Helper()
	ctx := context.Background()
	docs := make([]search.Document, 0, len(offers))
	for _, o := range offers {
		if err := svc.Store.CreateOffer(ctx, o); err != nil {
			b.Fatal(err)
		}
		docs = append(docs, app.OfferDocument(o, "Town", matchNow))
	}
	if err := svc.Index.Upsert(ctx, docs...); err != nil {
		b.Fatal(err)
	}
}
