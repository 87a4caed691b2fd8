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
	return fmt.Sprintf(
		"organisations=%d offers=%d sessions=%d requests=%d created=%d refreshed=%d skipped=%d",
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
	now := s.now()
	run := &demoSeed{svc: s, now: now, anchor: demoAnchor(now)}

	orgs, err := run.employers(ctx)
	if err != nil {
		return run.rep, err
	}
	if err := run.offers(ctx, orgs); err != nil {
		return run.rep, err
	}
	if err := run.requests(ctx); err != nil {
		return run.rep, err
	}
	if err := run.events(ctx); err != nil {
		return run.rep, err
	}
	return run.rep, nil
}

// demoSeed is one run of SeedDemo: the time it runs, the Monday its new
// dates count from, and what it has done so far.
type demoSeed struct {
	svc    *Service
	now    time.Time
	anchor time.Time
	rep    SeedReport
}

// demoAnchor is midnight (London) on the Monday of the week of now.
func demoAnchor(now time.Time) time.Time {
	t := now.In(London)
	back := (int(t.Weekday()) + 6) % 7
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, London)
}

// employers creates the demo employers that are missing and returns every
// demo employer by id.
func (run *demoSeed) employers(ctx context.Context) (map[string]*Organisation, error) {
	orgs := make(map[string]*Organisation, len(demoEmployers))
	for _, e := range demoEmployers {
		org, err := run.svc.Store.GetOrg(ctx, e.ID)
		if ErrorCode(err) == ENotFound {
			org = demoOrganisation(e, run.now)
			err = run.svc.Store.CreateOrg(ctx, org)
			run.rep.Created++
		}
		if err != nil {
			return nil, seedFailed("seed employer", e.ID, err)
		}

		orgs[e.ID] = org
		run.rep.Organisations++
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

// offers creates the missing demo offers, refreshes stale ones and puts
// every public one in the search index.
func (run *demoSeed) offers(ctx context.Context, orgs map[string]*Organisation) error {
	docs := make([]search.Document, 0, len(demoOffers))
	for _, spec := range demoOffers {
		org := orgs[spec.OrgID]
		o, err := run.offer(ctx, spec, org)
		if err != nil {
			return err
		}
		run.rep.Offers++
		run.rep.Sessions += len(o.Sessions)
		if o.Public {
			docs = append(docs, OfferDocument(o, org.Town, run.now))
		}
	}

	if err := run.svc.Index.Upsert(ctx, docs...); err != nil {
		return seedFailed("index demo offers", "", err)
	}
	return nil
}

// offer returns the stored demo offer, creating it when missing and giving
// it new sessions when all of its sessions have passed.
func (run *demoSeed) offer(ctx context.Context, spec demoOffer, org *Organisation) (*Offer, error) {
	store := run.svc.Store
	o, err := store.GetOffer(ctx, spec.ID)
	switch {
	case ErrorCode(err) == ENotFound:
		o = demoOfferFor(spec, org, run.anchor, run.now)
		err = store.CreateOffer(ctx, o)
		run.rep.Created++
	case err == nil && o.Demo && len(o.Upcoming(run.now)) == 0:
		o.Sessions = appendDemoSessions(o.ID, o.Sessions, spec.Slots, run.anchor)
		o.UpdatedAt = run.now
		err = store.UpdateOffer(ctx, o)
		run.rep.Refreshed++
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
		Sessions:  appendDemoSessions(spec.ID, nil, spec.Slots, anchor),
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
func appendDemoSessions(offerID string, have []Session, slots []demoSlot, anchor time.Time) []Session {
	ids := make(map[string]bool, len(have))
	for _, s := range have {
		ids[s.ID] = true
	}

	for _, slot := range slots {
		sess := demoSession(offerID, slot, anchor)
		if !ids[sess.ID] {
			have = append(have, sess)
		}
	}
	sortSessions(have)
	return have
}

// demoSession dates a slot. Its id is the offer's id and its start in
// London, unique across the market as every session id must be.
func demoSession(offerID string, slot demoSlot, anchor time.Time) Session {
	y, m, d := anchor.Date()
	day := d + 7*slot.Week + int(slot.Day-time.Monday)
	start := time.Date(y, m, day, slot.Hour, slot.Min, 0, 0, London)
	end := time.Date(y, m, day+slot.Days, slot.Hour, slot.Min+slot.Minutes, 0, 0, London)

	return Session{
		ID:    offerID + "-" + start.Format("20060102-1504"),
		Start: start, End: end, Places: slot.Places,
	}
}

// requests creates the missing demo requests of imported schools and gives
// open ones whose window has passed a new one.
func (run *demoSeed) requests(ctx context.Context) error {
	for _, spec := range demoRequests {
		id := SchoolID(spec.URN)
		school, err := run.svc.Store.GetOrg(ctx, id)
		if ErrorCode(err) == ENotFound || (err == nil && !school.CanBook()) {
			run.svc.log().WarnContext(ctx, "demo request skipped: school missing or closed",
				slog.String("org_id", id), slog.String("request_id", spec.ID))
			run.rep.Skipped = append(run.rep.Skipped, spec.URN)
			continue
		}
		if err != nil {
			return seedFailed("load school", id, err)
		}

		if err := run.request(ctx, spec, school); err != nil {
			return err
		}
		run.rep.Requests++
	}
	return nil
}

// request creates one demo request when missing, or renews its window when
// it is open and its last day has passed.
func (run *demoSeed) request(ctx context.Context, spec demoRequest, school *Organisation) error {
	store := run.svc.Store
	r, err := store.GetRequest(ctx, spec.ID)
	switch {
	case ErrorCode(err) == ENotFound:
		r = demoRequestFor(spec, school, run.anchor, run.now)
		err = store.CreateRequest(ctx, r)
		run.rep.Created++
	case err == nil && r.Demo && r.Status == RequestOpen && matchDay(r.To) < matchDay(run.now):
		r.From, r.To = demoWindow(spec, run.anchor)
		r.UpdatedAt = run.now
		err = store.UpdateRequest(ctx, r)
		run.rep.Refreshed++
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
	return &Error{
		Code: EInternal, Message: "Seeding the demo market failed",
		Cause: fmt.Errorf("%s %s: %w", op, id, err),
	}
}
