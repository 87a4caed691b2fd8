package app

// This file holds the inputs and results of the Service's use cases, shared
// by the web pages, the JSON API and the command line, and the scope checks
// every use case starts with. Tags name each field as forms and JSON do, and
// validation errors use the same names.

import (
	"log/slog"
	"time"
)

// SignUpInput is what a person gives to open an account. A new organisation
// of OrgKind is created with them as owner, except that school and college
// staff give their school's URN instead: they sign up with no organisation
// and a pending Claim on the imported school, which the coordinator decides.
type SignUpInput struct {
	Name      string `json:"name" form:"name"`
	Email     string `json:"email" form:"email"`
	Password  string `json:"password" form:"password"`
	OrgName   string `json:"org_name" form:"org_name"`
	OrgKind   string `json:"org_kind" form:"org_kind"`
	Postcode  string `json:"postcode" form:"postcode"`
	SchoolURN string `json:"school_urn" form:"school_urn"`
	// JobTitle is the claimant's job at the school ("careers leader");
	// optional, shown to the coordinator with the claim.
	JobTitle string `json:"job_title" form:"job_title"`
}

// OfferInput is an offer as a form or JSON gives it; every field is checked.
// Sessions name their fields "sessions[0].start" and so on in errors.
type OfferInput struct {
	Title        string         `json:"title" form:"title"`
	Description  string         `json:"description" form:"description"`
	Type         string         `json:"type" form:"type"`
	Sector       string         `json:"sector" form:"sector"`
	Audience     []string       `json:"audience" form:"audience"`
	Delivery     string         `json:"delivery" form:"delivery"`
	Postcode     string         `json:"postcode" form:"postcode"`
	AtSchool     bool           `json:"at_school" form:"at_school"`
	AtSchoolKm   int            `json:"at_school_km" form:"at_school_km"`
	Access       []string       `json:"access" form:"access"`
	Safeguarding string         `json:"safeguarding" form:"safeguarding"`
	Sessions     []SessionInput `json:"sessions" form:"-"`
}

// SessionInput is one session as typed: Start and End either RFC 3339 or
// "2006-01-02T15:04" read in Europe/London. ID is empty for a new session
// and names an existing one when an offer is updated.
type SessionInput struct {
	ID     string `json:"id,omitempty"`
	Start  string `json:"start"`
	End    string `json:"end"`
	Places int    `json:"places"`
}

// InputLayout is how OfferInputOf writes session times: the value of an
// HTML datetime-local field, in Europe/London.
const InputLayout = "2006-01-02T15:04"

// OfferInputOf returns the input that describes o, to fill an edit form:
// session times in Europe/London, sessions keeping their ids.
func OfferInputOf(o *Offer) OfferInput {
	in := OfferInput{
		Title: o.Title, Description: o.Description, Type: o.Type, Sector: o.Sector,
		Audience: append([]string(nil), o.Audience...), Delivery: o.Delivery, Postcode: o.Postcode,
		AtSchool: o.AtSchool, AtSchoolKm: o.AtSchoolKm, Access: append([]string(nil), o.Access...),
		Safeguarding: o.Safeguarding,
	}
	for _, ses := range o.Sessions {
		in.Sessions = append(in.Sessions, SessionInput{
			ID: ses.ID, Places: ses.Places,
			Start: ses.Start.In(London).Format(InputLayout), End: ses.End.In(London).Format(InputLayout),
		})
	}
	return in
}

// RequestInput is a request as a form or JSON gives it. From and To are
// dates "2006-01-02". An empty Postcode means the organisation's own.
type RequestInput struct {
	Type      string   `json:"type" form:"type"`
	Sector    string   `json:"sector" form:"sector"`
	Topic     string   `json:"topic" form:"topic"`
	Audience  []string `json:"audience" form:"audience"`
	GroupSize int      `json:"group_size" form:"group_size"`
	From      string   `json:"from" form:"from"`
	To        string   `json:"to" form:"to"`
	Postcode  string   `json:"postcode" form:"postcode"`
	TravelKm  int      `json:"travel_km" form:"travel_km"`
	VirtualOK bool     `json:"virtual_ok" form:"virtual_ok"`
	Access    []string `json:"access" form:"access"`
	Notes     string   `json:"notes" form:"notes"`
}

// RequestInputOf returns the input that describes r, to fill an edit form:
// dates as "2006-01-02" in Europe/London.
func RequestInputOf(r *Request) RequestInput {
	return RequestInput{
		Type: r.Type, Sector: r.Sector, Topic: r.Topic, Audience: append([]string(nil), r.Audience...),
		GroupSize: r.GroupSize, From: r.From.In(London).Format(DateLayout), To: r.To.In(London).Format(DateLayout),
		Postcode: r.Postcode, TravelKm: r.TravelKm, VirtualOK: r.VirtualOK,
		Access: append([]string(nil), r.Access...), Notes: r.Notes,
	}
}

// FindInput is a "Find opportunities" query as typed in the page or API.
// Errors name the fields q, the facet names (type, sector, audience,
// delivery, access), from, to, near, within_km, sort, page and per_page.
type FindInput struct {
	Text     string              `json:"q"`
	Filters  map[string][]string `json:"filters"` // facet name to values
	From     string              `json:"from"`    // date "2006-01-02"
	To       string              `json:"to"`      // date "2006-01-02"
	Near     string              `json:"near"`    // postcode, outcode or town
	WithinKm float64             `json:"within_km"`
	Sort     string              `json:"sort"`
	Page     int                 `json:"page"`
	PerPage  int                 `json:"per_page"`
}

// FoundOffer is one search result: the offer as stored, its upcoming
// sessions and its distance from Near when given.
type FoundOffer struct {
	Offer      *Offer
	Upcoming   []Session
	DistanceKm *float64
}

// FindResult is one page of search results with facet counts.
type FindResult struct {
	Total    int
	Page     int
	PerPage  int
	Results  []FoundOffer
	Facets   map[string]map[string]int
	NearText string   // where distances are measured from, as understood
	NearLoc  Location // zero when Near was empty
}

// Match is one offer session scored against one request. Reasons are
// sentences a person can read; each part of Score has one.
type Match struct {
	Request    *Request
	Offer      *Offer
	Session    Session
	Score      float64
	DistanceKm *float64
	Reasons    []string
}

// Paging of the per-organisation and open lists.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// errSignedOut is the answer to an anonymous caller of a members' use case.
func errSignedOut() error {
	return Errorf(EUnauthorized, "Sign in to do this.")
}

// requireMember checks that a is signed in as a member of an organisation.
func requireMember(a *Actor) error {
	if a == nil || a.UserID == "" {
		return errSignedOut()
	}
	if a.OrgID == "" {
		return Errorf(EForbidden, "Your account is not part of an organisation yet.")
	}
	return nil
}

// requireCoordinator checks that a acts for the county coordinator.
func requireCoordinator(a *Actor) error {
	if a == nil || a.UserID == "" {
		return errSignedOut()
	}
	if !a.IsCoordinator() {
		return Errorf(EForbidden, "Only the county coordinator can do this.")
	}
	return nil
}

// canSeePrivate reports whether a may read a record kept by orgID that is
// not public: its own organisation's members and the coordinator may.
func canSeePrivate(a *Actor, orgID string) bool {
	return a.IsCoordinator() || (a != nil && a.OrgID != "" && a.OrgID == orgID)
}

// owns reports whether a is a member of orgID, the only one who may change
// that organisation's records.
func owns(a *Actor, orgID string) bool {
	return a != nil && a.OrgID != "" && a.OrgID == orgID
}

// pageBounds turns a 1-based page of perPage rows into an offset and limit,
// with the defaults and maximum above.
func pageBounds(page, perPage int) (offset, limit int) {
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	perPage = min(perPage, MaxPerPage)
	page = max(page, 1)
	return (page - 1) * perPage, perPage
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// today is the London date of now, at midnight London.
func (s *Service) today() time.Time {
	t := s.now().In(London)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, London)
}
