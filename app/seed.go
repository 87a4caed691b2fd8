package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/encounters/encounters/search"
)

// SeedReport says what SeedDemo found and did. The first four counts are
// the demo records present after the run.
type SeedReport struct {
	Organisations int
	Offers        int
	Sessions      int
	Requests      int
	// Created counts records written for the first time by this run.
	Created int
	// Refreshed counts demo records given new dates because all of theirs
	// had passed.
	Refreshed int
	// Skipped lists the URNs of schools whose demo request was not written
	// because the school is not imported or cannot book.
	Skipped []string
}

// String is the report on one line: "organisations=8 offers=17 ...".
func (r SeedReport) String() string {
	return fmt.Sprintf("organisations=%d offers=%d sessions=%d requests=%d created=%d refreshed=%d skipped=%d",
		r.Organisations, r.Offers, r.Sessions, r.Requests, r.Created, r.Refreshed, len(r.Skipped))
}

// SeedDemo writes the demo market: verified demo employers, their
// published offers of every type with sessions over the coming months, and
// open requests from imported schools. Every record has a fixed id and is
// marked Demo.
//
// SeedDemo is idempotent: it creates only what is missing and never
// rewrites a demo record, with one exception that keeps a demo site alive:
// a demo offer with no upcoming session gets a fresh run of sessions, and
// an open demo request whose window has passed gets a fresh window. Dates
// count from the Monday of the week of the run, so a second run changes
// nothing. Schools must be imported first; requests of missing schools are
// skipped and listed in the report.
func (s *Service) SeedDemo(ctx context.Context) (SeedReport, error) {
	var rep SeedReport
	now := s.now()
	anchor := demoAnchor(now)

	orgs, err := s.seedEmployers(ctx, now, &rep)
	if err != nil {
		return rep, err
	}
	if err := s.seedOffers(ctx, orgs, anchor, now, &rep); err != nil {
		return rep, err
	}
	if err := s.seedRequests(ctx, anchor, now, &rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// demoAnchor is midnight (London) on the Monday of the week of now.
func demoAnchor(now time.Time) time.Time {
	t := now.In(London)
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, London)
}

// seedEmployers creates the demo employers that are missing and returns
// every demo employer by id.
func (s *Service) seedEmployers(ctx context.Context, now time.Time, rep *SeedReport) (map[string]*Organisation, error) {
	orgs := make(map[string]*Organisation, len(demoEmployers))
	for _, e := range demoEmployers {
		org, err := s.Store.GetOrg(ctx, e.ID)
		if ErrorCode(err) == ENotFound {
			org = demoOrganisation(e, now)
			err = s.Store.CreateOrg(ctx, org)
			rep.Created++
		}
		if err != nil {
			return nil, seedFailed("seed employer", e.ID, err)
		}
		orgs[e.ID] = org
		rep.Organisations++
	}
	return orgs, nil
}

func demoOrganisation(e demoEmployer, now time.Time) *Organisation {
	return &Organisation{
		ID: e.ID, Kind: KindEmployer, Name: e.Name, Town: e.Town, Postcode: e.Postcode,
		Location: Location{Lat: e.Lat, Lon: e.Lon, Precision: PrecisionPostcode},
		Status:   OrgOpen, Verified: true, Demo: true, Source: "demo",
		CreatedAt: now, UpdatedAt: now,
	}
}

// seedOffers creates the missing demo offers, refreshes stale ones and puts
// every public one in the search index.
func (s *Service) seedOffers(ctx context.Context, orgs map[string]*Organisation, anchor, now time.Time, rep *SeedReport) error {
	docs := make([]search.Document, 0, len(demoOffers))
	for _, spec := range demoOffers {
		org := orgs[spec.OrgID]
		o, err := s.seedOffer(ctx, spec, org, anchor, now, rep)
		if err != nil {
			return err
		}
		rep.Offers++
		rep.Sessions += len(o.Sessions)
		if o.Public {
			docs = append(docs, OfferDocument(o, org.Town, now))
		}
	}

	if err := s.Index.Upsert(ctx, docs...); err != nil {
		return seedFailed("index demo offers", "", err)
	}
	return nil
}

// seedOffer returns the stored demo offer, creating it when missing and
// giving it new sessions when all of its sessions have passed.
func (s *Service) seedOffer(ctx context.Context, spec demoOffer, org *Organisation, anchor, now time.Time, rep *SeedReport) (*Offer, error) {
	o, err := s.Store.GetOffer(ctx, spec.ID)
	switch {
	case ErrorCode(err) == ENotFound:
		o = demoOfferFor(spec, org, anchor, now)
		err = s.Store.CreateOffer(ctx, o)
		rep.Created++
	case err == nil && o.Demo && len(o.Upcoming(now)) == 0:
		o.Sessions = appendDemoSessions(o.Sessions, spec.Slots, anchor)
		o.UpdatedAt = now
		err = s.Store.UpdateOffer(ctx, o)
		rep.Refreshed++
	}
	if err != nil {
		return nil, seedFailed("seed offer", spec.ID, err)
	}
	return o, nil
}

// demoOfferFor builds a published demo offer. A virtual offer has no place;
// others are at the employer's postcode, or at schools within AtSchoolKm
// of it.
func demoOfferFor(spec demoOffer, org *Organisation, anchor, now time.Time) *Offer {
	o := &Offer{
		ID: spec.ID, OrgID: org.ID, OrgName: org.Name,
		Title: spec.Title, Description: spec.Description, Type: spec.Type, Sector: spec.Sector,
		Audience: spec.Audience, Delivery: spec.Delivery,
		AtSchool: spec.AtSchoolKm > 0, AtSchoolKm: spec.AtSchoolKm,
		Access: spec.Access, Safeguarding: spec.Safeguarding,
		Status: OfferPublished, Public: org.Verified, Demo: true,
		Sessions:  appendDemoSessions(nil, spec.Slots, anchor),
		CreatedAt: now, UpdatedAt: now,
	}
	if o.Access == nil {
		o.Access = []string{}
	}
	if spec.Delivery != DeliveryVirtual {
		o.Postcode, o.Location = org.Postcode, org.Location
	}
	return o
}

// appendDemoSessions adds the sessions of slots counted from anchor,
// skipping any whose id the list has already.
func appendDemoSessions(have []Session, slots []demoSlot, anchor time.Time) []Session {
	ids := make(map[string]bool, len(have))
	for _, s := range have {
		ids[s.ID] = true
	}
	for _, slot := range slots {
		sess := demoSession(slot, anchor)
		if !ids[sess.ID] {
			have = append(have, sess)
		}
	}
	sortSessions(have)
	return have
}

// demoSession dates a slot. Its id is its start in London, which is unique
// within an offer.
func demoSession(slot demoSlot, anchor time.Time) Session {
	y, m, d := anchor.Date()
	day := d + 7*slot.Week + int(slot.Day-time.Monday)
	start := time.Date(y, m, day, slot.Hour, slot.Min, 0, 0, London)
	end := time.Date(y, m, day+slot.Days, slot.Hour, slot.Min+slot.Minutes, 0, 0, London)
	return Session{
		ID:    "demo-" + start.Format("20060102-1504"),
		Start: start, End: end, Places: slot.Places,
	}
}

// seedRequests creates the missing demo requests of imported schools and
// gives open ones whose window has passed a new one.
func (s *Service) seedRequests(ctx context.Context, anchor, now time.Time, rep *SeedReport) error {
	for _, spec := range demoRequests {
		school, err := s.Store.GetOrg(ctx, SchoolID(spec.URN))
		if ErrorCode(err) == ENotFound || (err == nil && !school.CanBook()) {
			s.log().Warn("demo request skipped: school missing or closed",
				slog.String("org_id", SchoolID(spec.URN)), slog.String("request_id", spec.ID))
			rep.Skipped = append(rep.Skipped, spec.URN)
			continue
		}
		if err != nil {
			return seedFailed("load school", SchoolID(spec.URN), err)
		}
		if err := s.seedRequest(ctx, spec, school, anchor, now, rep); err != nil {
			return err
		}
		rep.Requests++
	}
	return nil
}

// seedRequest creates one demo request when missing, or renews its window
// when it is open and its last day has passed.
func (s *Service) seedRequest(ctx context.Context, spec demoRequest, school *Organisation, anchor, now time.Time, rep *SeedReport) error {
	r, err := s.Store.GetRequest(ctx, spec.ID)
	switch {
	case ErrorCode(err) == ENotFound:
		r = demoRequestFor(spec, school, anchor, now)
		err = s.Store.CreateRequest(ctx, r)
		rep.Created++
	case err == nil && r.Demo && r.Status == RequestOpen && matchDay(r.To) < matchDay(now):
		r.From, r.To = demoWindow(spec, anchor)
		r.UpdatedAt = now
		err = s.Store.UpdateRequest(ctx, r)
		rep.Refreshed++
	}
	if err != nil {
		return seedFailed("seed request", spec.ID, err)
	}
	return nil
}

func demoRequestFor(spec demoRequest, school *Organisation, anchor, now time.Time) *Request {
	r := &Request{
		ID: spec.ID, OrgID: school.ID, OrgName: school.Name,
		Type: spec.Type, Sector: spec.Sector, Topic: spec.Topic,
		Audience: spec.Audience, GroupSize: spec.GroupSize,
		Postcode: school.Postcode, Location: school.Location,
		TravelKm: spec.TravelKm, VirtualOK: spec.VirtualOK,
		Access: spec.Access, Notes: spec.Notes,
		Status: RequestOpen, Demo: true, CreatedAt: now, UpdatedAt: now,
	}
	if r.Access == nil {
		r.Access = []string{}
	}
	r.From, r.To = demoWindow(spec, anchor)
	return r
}

// demoWindow is a request's window: from the Monday FromWeek weeks after
// anchor to the Friday ToWeek weeks after, as London midnights.
func demoWindow(spec demoRequest, anchor time.Time) (from, to time.Time) {
	y, m, d := anchor.Date()
	from = time.Date(y, m, d+7*spec.FromWeek, 0, 0, 0, 0, London)
	to = time.Date(y, m, d+7*spec.ToWeek+4, 0, 0, 0, 0, London)
	return from, to
}

// seedFailed wraps a storage or search failure while seeding, keeping
// errors that already carry a code.
func seedFailed(op, id string, err error) error {
	if ErrorCode(err) != EInternal {
		return err
	}
	return &Error{Code: EInternal, Message: "Seeding the demo market failed", Cause: fmt.Errorf("%s %s: %w", op, id, err)}
}
