package app

// This file fixes the Service's use cases so that the web layer, the command
// line and the service itself can be built side by side. Each method body
// is replaced by its real implementation in its own file.

import (
	"context"
	"time"
)

// SignUpInput is what a person gives to open an account. A new organisation
// of OrgKind is created with them as owner, except that school staff sign
// up and then claim their imported school.
type SignUpInput struct {
	Name     string
	Email    string
	Password string
	OrgName  string
	OrgKind  string
	Postcode string
}

// OfferInput is an offer as a form or JSON gives it; every field is checked.
type OfferInput struct {
	Title        string
	Description  string
	Type         string
	Sector       string
	Audience     []string
	Delivery     string
	Postcode     string
	AtSchool     bool
	AtSchoolKm   int
	Access       []string
	Safeguarding string
	Sessions     []SessionInput
}

// SessionInput is one session as typed: Start and End either RFC 3339 or
// "2006-01-02T15:04" read in Europe/London. ID is empty for a new session.
type SessionInput struct {
	ID     string
	Start  string
	End    string
	Places int
}

// RequestInput is a request as a form or JSON gives it. From and To are
// dates "2006-01-02". An empty Postcode means the organisation's own.
type RequestInput struct {
	Type      string
	Sector    string
	Topic     string
	Audience  []string
	GroupSize int
	From      string
	To        string
	Postcode  string
	TravelKm  int
	VirtualOK bool
	Access    []string
	Notes     string
}

// FindInput is a "Find opportunities" query as typed in the page or API.
type FindInput struct {
	Text     string
	Filters  map[string][]string // facet name to values
	From, To string              // dates "2006-01-02"
	Near     string              // postcode, outcode or town
	WithinKm float64
	Sort     string
	Page     int
	PerPage  int
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

var _ = time.Time{}
var _ context.Context
