package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// Places used by the scoring tests, from Code-Point Open.
var (
	locConsett = app.Location{Lat: 54.857615, Lon: -1.828714, Precision: app.PrecisionPostcode} // DH8 6LZ
	locStanley = app.Location{Lat: 54.871558, Lon: -1.690687, Precision: app.PrecisionPostcode} // DH9 0TW
	locNetpark = app.Location{Lat: 54.670042, Lon: -1.453343, Precision: app.PrecisionPostcode} // TS21 3FG
)

// matchNow is a Monday morning in London.
var matchNow = time.Date(2025, time.March, 3, 9, 0, 0, 0, app.London)

func matchAt(y int, m time.Month, d, hour, min int) time.Time {
	return time.Date(y, m, d, hour, min, 0, 0, app.London)
}

// scoreRequest is 45 Year 9 pupils in Consett wanting an engineering
// workplace visit within 20 km between 10 March and 30 April 2025.
func scoreRequest() *app.Request {
	return &app.Request{
		ID: "req-consett", OrgID: "urn-137638", OrgName: "Consett Academy",
		Type: app.TypeWorkplaceVisit, Sector: "engineering", Topic: "robotics",
		Audience: []string{"y9"}, GroupSize: 45,
		From: matchAt(2025, time.March, 10, 0, 0), To: matchAt(2025, time.April, 30, 0, 0),
		Postcode: "DH8 6LZ", Location: locConsett, TravelKm: 20,
		Status: app.RequestOpen,
	}
}

func scoreSchool() *app.Organisation {
	return &app.Organisation{
		ID: "urn-137638", Kind: app.KindSchool, Name: "Consett Academy",
		Status: app.OrgOpen, Location: locConsett, IMDDecile: 6, EncountersThisYear: 4,
		EncountersYear: app.AcademicYear(matchNow),
	}
}

// scoreOffer is a public engineering visit in Stanley, about 9 km from the
// school, with one session of 60 places on 20 March.
func scoreOffer() *app.Offer {
	return &app.Offer{
		ID: "off-stanley", OrgID: "emp-1", OrgName: "Stanley Engineering",
		Title: "Visit our robotics cell", Description: "See welding robots at work.",
		Type: app.TypeWorkplaceVisit, Sector: "engineering",
		Audience: []string{"y8", "y9", "y10"}, Delivery: app.DeliveryInPerson,
		Location: locStanley, Access: []string{app.AccessStepFree},
		Status: app.OfferPublished, Public: true,
		Sessions: []app.Session{scoreSession()},
	}
}

func scoreSession() app.Session {
	return app.Session{
		ID: "s1", Start: matchAt(2025, time.March, 20, 10, 0),
		End: matchAt(2025, time.March, 20, 12, 0), Places: 60,
	}
}

// matchCase changes the fixtures of one scenario.
type matchCase struct {
	name   string
	change func(r *app.Request, sc *app.Organisation, o *app.Offer, s *app.Session)
}

func runMatch(c matchCase) (app.Match, bool) {
	r, sc, o, s := scoreRequest(), scoreSchool(), scoreOffer(), scoreSession()
	if c.change != nil {
		c.change(r, sc, o, &s)
	}
	return app.ScoreMatch(r, sc, o, s, matchNow)
}

func TestScoreMatchHardRules(t *testing.T) {
	rejected := []matchCase{
		{"offer of another type", func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.Type = app.TypeCareersTalk
		}},
		{"careers fair does not serve a careers talk request", func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			r.Type, o.Type = app.TypeCareersTalk, app.TypeCareersFair
		}},
		{"offer not public", func(_ *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.Public = false
		}},
		{"session already started", func(_ *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			s.Start = matchNow.Add(-time.Minute)
		}},
		{"session starts exactly now", func(_ *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			s.Start = matchNow
		}},
		{"session the day before the window", func(_ *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			s.Start = matchAt(2025, time.March, 9, 23, 30)
		}},
		{"session the day after the window, before midnight UTC", func(_ *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			s.Start = matchAt(2025, time.May, 1, 0, 30) // 23:30 UTC on 30 April
		}},
		{"not enough places left for the group", func(_ *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			s.PlacesTaken = 16
		}},
		{"audience not served", func(r *app.Request, _ *app.Organisation, _ *app.Offer, _ *app.Session) {
			r.Audience = []string{"y9", "y11"}
		}},
		{"no audience at all", func(r *app.Request, _ *app.Organisation, _ *app.Offer, _ *app.Session) {
			r.Audience = nil
		}},
		{"work experience for Year 9 even when offered", func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			r.Type, o.Type = app.TypeWorkExperience, app.TypeWorkExperience
		}},
		{"access need not met", func(r *app.Request, _ *app.Organisation, _ *app.Offer, _ *app.Session) {
			r.Access = []string{app.AccessStepFree, app.AccessQuiet}
		}},
		{"school closed", func(_ *app.Request, sc *app.Organisation, _ *app.Offer, _ *app.Session) {
			sc.Status = app.OrgClosed
		}},
		{"organisation that does not book for learners", func(_ *app.Request, sc *app.Organisation, _ *app.Offer, _ *app.Session) {
			sc.Kind = app.KindEmployer
		}},
		{"in person beyond the travel limit", func(r *app.Request, _ *app.Organisation, _ *app.Offer, _ *app.Session) {
			r.TravelKm = 5
		}},
		{"in person with no known place", func(_ *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.Location = app.Location{}
		}},
		{"hybrid beyond the limit without virtual", func(_ *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.Delivery, o.Location = app.DeliveryHybrid, locNetpark
		}},
		{"virtual when the request wants in person", func(_ *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.Delivery = app.DeliveryVirtual
		}},
		{"at school beyond the employer's reach", func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.AtSchool, o.AtSchoolKm, r.TravelKm = true, 5, 40
		}},
	}
	for _, c := range rejected {
		t.Run(c.name, func(t *testing.T) {
			if m, ok := runMatch(c); ok {
				t.Fatalf("matched with score %v and reasons %q, want rejected", m.Score, m.Reasons)
			}
		})
	}
}

func TestScoreMatchAccepts(t *testing.T) {
	accepted := []matchCase{
		{"the base case", nil},
		{"session late on the last day of the window", func(_ *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			s.Start = matchAt(2025, time.April, 30, 23, 30)
		}},
		{"session on the first day of the window", func(_ *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			s.Start = matchAt(2025, time.March, 10, 0, 15)
		}},
		{"window days stored as UTC midnights", func(r *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			r.From = time.Date(2025, time.March, 10, 0, 0, 0, 0, time.UTC)
			r.To = time.Date(2025, time.April, 30, 0, 0, 0, 0, time.UTC)
			s.Start = matchAt(2025, time.April, 30, 23, 30)
		}},
		{"places exactly enough", func(_ *app.Request, _ *app.Organisation, _ *app.Offer, s *app.Session) {
			s.PlacesTaken = 15
		}},
		{"work experience for Year 10 and sixth form", func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			r.Type, o.Type = app.TypeWorkExperience, app.TypeWorkExperience
			r.Audience, o.Audience = []string{"y10", "y12"}, []string{"y10", "y11", "y12"}
		}},
		{"hybrid beyond the limit joined virtually", func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.Delivery, o.Location, r.VirtualOK = app.DeliveryHybrid, locNetpark, true
		}},
		{"virtual with no place", func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.Delivery, o.Location, r.VirtualOK = app.DeliveryVirtual, app.Location{}, true
		}},
		{"at school within the employer's reach but beyond the school's", func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
			o.AtSchool, o.AtSchoolKm, r.TravelKm = true, 15, 2
		}},
		{"adults at a provider", func(r *app.Request, sc *app.Organisation, o *app.Offer, _ *app.Session) {
			sc.Kind, r.Audience, o.Audience = app.KindProvider, []string{app.AudienceAdults}, []string{app.AudienceAdults}
		}},
	}
	for _, c := range accepted {
		t.Run(c.name, func(t *testing.T) {
			m, ok := runMatch(c)
			if !ok {
				t.Fatal("rejected, want a match")
			}
			if m.Score <= 0 || m.Score > 100 {
				t.Errorf("score %v, want in (0, 100]", m.Score)
			}
			if len(m.Reasons) == 0 {
				t.Error("no reasons")
			}
		})
	}
}

func TestScoreMatchReasons(t *testing.T) {
	cases := []struct {
		name   string
		change func(r *app.Request, sc *app.Organisation, o *app.Offer, s *app.Session)
		want   []string
	}{
		{"in person, sector and topic as asked", nil, []string{
			"9 km, about 16 minutes by car",
			"Engineering and manufacturing, as asked",
			`Mentions "robotics", your topic`,
			"60 places for your 45 pupils",
			"In 17 days, inside your window",
		}},
		{"virtual, another sector, some places taken, access needed", func(r *app.Request, _ *app.Organisation, o *app.Offer, s *app.Session) {
			o.Delivery, o.Sector, r.VirtualOK = app.DeliveryVirtual, "logistics", true
			r.Access, r.Topic, s.PlacesTaken = []string{app.AccessStepFree}, "", 10
		}, []string{
			"Virtual, so no travel",
			"Transport and logistics (you asked for Engineering and manufacturing)",
			"50 places left for your 45 pupils",
			"Step-free access",
			"In 17 days, inside your window",
		}},
		{"at school, any sector, soon, and equity", func(r *app.Request, sc *app.Organisation, o *app.Offer, s *app.Session) {
			o.AtSchool, o.AtSchoolKm, r.Sector, r.Topic = true, 30, "", ""
			s.Start = matchAt(2025, time.March, 11, 9, 0)
			sc.EncountersThisYear, sc.IMDDecile, sc.Rural = 0, 2, true
			r.From = matchAt(2025, time.March, 4, 0, 0)
		}, []string{
			"They come to your school, 9 km from their base",
			"Engineering and manufacturing: any sector suits you",
			"60 places for your 45 pupils",
			"In 8 days, inside your window",
			"This school has had no employer encounter this year",
			"This school serves one of the most deprived areas in England (IMD decile 2)",
			"Rural school: fewer employers nearby",
		}},
		{"hybrid joined virtually, tomorrow, a college with one encounter", func(r *app.Request, sc *app.Organisation, o *app.Offer, s *app.Session) {
			o.Delivery, o.Location, r.VirtualOK, r.Topic = app.DeliveryHybrid, locNetpark, true, ""
			s.Start, r.From = matchAt(2025, time.March, 4, 9, 0), time.Time{}
			sc.Kind, sc.EncountersThisYear = app.KindCollege, 1
		}, []string{
			"Hybrid: 32 km away, so you can join virtually",
			"Engineering and manufacturing, as asked",
			"60 places for your 45 pupils",
			"Tomorrow: short notice, inside your window",
			"This college has had only one employer encounter this year",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := runMatch(matchCase{c.name, c.change})
			if !ok {
				t.Fatal("rejected, want a match")
			}
			if strings.Join(m.Reasons, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("reasons:\n%s\nwant:\n%s", strings.Join(m.Reasons, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestScoreMatchDistance(t *testing.T) {
	m, ok := runMatch(matchCase{})
	if !ok {
		t.Fatal("rejected, want a match")
	}
	if m.DistanceKm == nil || *m.DistanceKm < 8 || *m.DistanceKm > 10 {
		t.Fatalf("distance %v, want about 9 km from Consett to Stanley", m.DistanceKm)
	}

	virtual, _ := runMatch(matchCase{change: func(r *app.Request, _ *app.Organisation, o *app.Offer, _ *app.Session) {
		o.Delivery, o.Location, r.VirtualOK = app.DeliveryVirtual, app.Location{}, true
	}})
	if virtual.DistanceKm != nil {
		t.Errorf("virtual offer with no place has distance %v, want none", *virtual.DistanceKm)
	}
}

// TestScoreMatchNearerScoresHigher checks that, every other thing being
// equal, a nearer in-person session ranks first.
func TestScoreMatchNearerScoresHigher(t *testing.T) {
	within40 := func(r *app.Request, _ *app.Organisation, _ *app.Offer, _ *app.Session) { r.TravelKm = 40 }
	near, okNear := runMatch(matchCase{"near", within40})
	far, okFar := runMatch(matchCase{"far", func(r *app.Request, sc *app.Organisation, o *app.Offer, s *app.Session) {
		within40(r, sc, o, s)
		o.Location = locNetpark
	}})
	if !okNear || !okFar {
		t.Fatalf("matched near %v, far %v: want both within 40 km", okNear, okFar)
	}
	if near.Score <= far.Score {
		t.Errorf("near %v, far %v: want near higher", near.Score, far.Score)
	}
}

// TestScoreMatchEquity checks that the same request from a school in a
// deprived area with no encounters so far outranks one from a well-served
// school, even when that school is nearer.
func TestScoreMatchEquity(t *testing.T) {
	served := scoreSchool()
	served.IMDDecile, served.EncountersThisYear, served.EncountersYear = 9, 6, app.AcademicYear(matchNow)

	cases := []struct {
		name     string
		school   func(*app.Organisation)
		farther  bool
		wantMore bool
	}{
		{"no encounters this year", func(o *app.Organisation) { o.EncountersThisYear = 0 }, false, true},
		{"IMD decile 1", func(o *app.Organisation) { o.IMDDecile = 1 }, false, true},
		{"IMD decile 3", func(o *app.Organisation) { o.IMDDecile = 3 }, false, true},
		{"rural", func(o *app.Organisation) { o.Rural = true }, false, true},
		{"deprived and unserved, and farther away", func(o *app.Organisation) {
			o.IMDDecile, o.EncountersThisYear = 2, 0
		}, true, true},
		{"IMD decile 4 earns nothing", func(o *app.Organisation) { o.IMDDecile = 4 }, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, o, s := scoreRequest(), scoreOffer(), scoreSession()
			req.TravelKm = 40
			base, ok := app.ScoreMatch(req, served, o, s, matchNow)
			if !ok {
				t.Fatal("well-served school rejected")
			}

			needy := *served
			c.school(&needy)
			needyReq := *req
			if c.farther {
				needyReq.Location = locNetpark
				needyReq.TravelKm = 40
				o.Location = locConsett
			}
			got, ok := app.ScoreMatch(&needyReq, &needy, o, s, matchNow)
			if !ok {
				t.Fatal("needy school rejected")
			}
			if (got.Score > base.Score) != c.wantMore {
				t.Errorf("score %v against %v for the well-served school, want higher: %v", got.Score, base.Score, c.wantMore)
			}
		})
	}
}

// TestScoreMatchBestFit checks that a group fills a small session before a
// big one, keeping big sessions for big groups.
func TestScoreMatchBestFit(t *testing.T) {
	small := scoreSession()
	small.Places = 50
	big := scoreSession()
	big.Places = 200

	req, school, o := scoreRequest(), scoreSchool(), scoreOffer()
	a, _ := app.ScoreMatch(req, school, o, small, matchNow)
	b, _ := app.ScoreMatch(req, school, o, big, matchNow)
	if a.Score <= b.Score {
		t.Errorf("50 places scored %v, 200 places %v: want the closer fit higher", a.Score, b.Score)
	}
}

func ExampleScoreMatch() {
	now := time.Date(2025, time.March, 3, 9, 0, 0, 0, app.London)
	req := &app.Request{
		Type: app.TypeCareersTalk, Sector: "digital", Audience: []string{"y10"}, GroupSize: 30,
		From: now, To: now.AddDate(0, 2, 0), VirtualOK: true,
	}
	school := &app.Organisation{Kind: app.KindSchool, Status: app.OrgOpen, IMDDecile: 1}
	offer := &app.Offer{
		Type: app.TypeCareersTalk, Sector: "digital", Audience: []string{"y10", "y11"},
		Delivery: app.DeliveryVirtual, Public: true,
	}
	session := app.Session{Start: now.AddDate(0, 0, 14), Places: 100}

	m, ok := app.ScoreMatch(req, school, offer, session, now)
	fmt.Println(ok, m.Score)
	for _, r := range m.Reasons {
		fmt.Println(r)
	}
	// Output:
	// true 65
	// Virtual, so no travel
	// Digital and technology, as asked
	// 100 places for your 30 pupils
	// In 14 days, inside your window
	// This school has had no employer encounter this year
	// This school serves one of the most deprived areas in England (IMD decile 1)
}
