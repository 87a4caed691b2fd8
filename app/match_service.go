package app

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/encounters/encounters/search"
)

// Limits of one matching run.
const (
	// MatchLimitDefault is how many matches a run returns when the caller
	// gives no limit; MatchLimitMax caps what a caller may ask for.
	MatchLimitDefault = 20
	MatchLimitMax     = 200

	// matchReachKm is the least radius searched around a request, so that
	// offers delivered at schools, whose employers travel further than the
	// school would, are candidates too.
	matchReachKm = 50
	// matchPageSize is the page size of searches and request lists;
	// matchMaxCandidates bounds the offers one request is scored against.
	// Fetching the candidates from the store by id is the slowest part of a
	// run, so this bounds it.
	matchPageSize      = 100
	matchMaxCandidates = 300
	// matchRequestPage and matchMaxRequests bound the open requests scanned
	// for one offer: each page is one scan of the requests collection.
	matchRequestPage = 500
	matchMaxRequests = 5000
)

// MatchRequest finds the offer sessions that suit a request, best first.
// Open requests may be matched by anyone; a closed request only by its own
// organisation and the coordinator (others get ENotFound). Callers outside
// the request's organisation see it as PublicView. limit <= 0 means
// MatchLimitDefault.
func (s *Service) MatchRequest(ctx context.Context, a *Actor, requestID string, limit int) ([]Match, error) {
	req, own, err := s.matchableRequest(ctx, a, requestID)
	if err != nil {
		return nil, err
	}
	school, err := s.Store.GetOrg(ctx, req.OrgID)
	if err != nil {
		return nil, matchFailed("load the request's organisation", err)
	}

	now := s.now()
	ids, err := s.candidateOffers(ctx, req, now)
	if err != nil {
		return nil, err
	}
	offers, err := s.Store.GetOffers(ctx, ids)
	if err != nil {
		return nil, matchFailed("load candidate offers", err)
	}

	matches := matchSessions(req, school, ids, offers, now)
	matches = cutMatches(matches, limit)
	if !own {
		publicMatches(matches)
	}
	return matches, nil
}

// matchableRequest loads a request the actor may match, and reports whether
// the actor may see it whole.
func (s *Service) matchableRequest(ctx context.Context, a *Actor, id string) (*Request, bool, error) {
	if !ValidID(id) {
		return nil, false, ErrNotFound("Request")
	}
	req, err := s.Store.GetRequest(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, false, ErrNotFound("Request")
	}
	if err != nil {
		return nil, false, matchFailed("load request", err)
	}

	own := canSeePrivate(a, req.OrgID)
	if !own && !req.Listed() {
		return nil, false, ErrNotFound("Request")
	}
	return req, own, nil
}

// candidateOffers asks the index for offers of the request's type with a
// session in its window: those near its place and, when it accepts virtual
// delivery, virtual and hybrid ones anywhere. Offers of the sector asked
// for are asked for first, so that they are among the candidates however
// many others there are. Ids come back in that order, without repeats;
// none when the window has passed.
func (s *Service) candidateOffers(ctx context.Context, req *Request, now time.Time) ([]string, error) {
	if !req.To.IsZero() && matchWindowEnd(req.To).Before(matchWindowStart(req.From, now)) {
		return nil, nil
	}

	sectors := []string{""}
	if req.Sector != "" {
		sectors = []string{req.Sector, ""}
	}

	var queries []search.Query
	for _, sector := range sectors {
		if req.Location.Known() {
			queries = append(queries, candidateQuery(req, now, sector, false))
		}
		if req.VirtualOK {
			queries = append(queries, candidateQuery(req, now, sector, true))
		}
	}
	return s.searchAll(ctx, queries)
}

// candidateQuery is one search for candidates: offers met in person near
// the request (sorted by distance) or, when remote, virtual and hybrid
// offers anywhere; of one sector, or of any when sector is empty. The
// search near a place would also keep every virtual offer, which is
// available anywhere; the delivery filter leaves them to the remote
// search, so that a request that wants no virtual offer does not fill its
// candidates with them.
func candidateQuery(req *Request, now time.Time, sector string, remote bool) search.Query {
	q := search.Query{
		Filters: map[string][]string{search.FacetType: {req.Type}},
		From:    matchWindowStart(req.From, now),
		To:      matchWindowEnd(req.To),
		Sort:    search.SortDate,
		PerPage: matchPageSize,
	}
	if sector != "" {
		q.Filters[search.FacetSector] = []string{sector}
	}
	if remote {
		q.Filters[search.FacetDelivery] = []string{DeliveryVirtual, DeliveryHybrid}
		return q
	}

	q.Filters[search.FacetDelivery] = []string{DeliveryInPerson, DeliveryHybrid}
	q.Near = &search.Point{Lat: req.Location.Lat, Lon: req.Location.Lon}
	q.WithinKm = float64(max(req.TravelKm, matchReachKm))
	q.Sort = search.SortDistance
	return q
}

// searchAll pages through the queries in turn and returns the ids of their
// hits, first seen first, until matchMaxCandidates ids are found.
func (s *Service) searchAll(ctx context.Context, queries []search.Query) ([]string, error) {
	seen := map[string]bool{}
	var ids []string

	for _, q := range queries {
		for page := 1; len(ids) < matchMaxCandidates; page++ {
			q.Page = page
			res, err := s.Index.Search(ctx, q)
			if err != nil {
				return nil, matchFailed("search candidate offers", err)
			}
			for _, h := range res.Hits {
				if !seen[h.ID] && len(ids) < matchMaxCandidates {
					seen[h.ID] = true
					ids = append(ids, h.ID)
				}
			}
			if len(res.Hits) < q.PerPage || page*q.PerPage >= res.Total {
				break
			}
		}
	}
	return ids, nil
}

// matchWindowStart is the first instant worth searching: the start of the
// request's first day, or now if later.
func matchWindowStart(from, now time.Time) time.Time {
	if from.IsZero() {
		return now
	}

	y, m, d := from.In(London).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, London)
	if start.Before(now) {
		return now
	}
	return start
}

// matchWindowEnd is the last instant of the request's last day, zero if open.
func matchWindowEnd(to time.Time) time.Time {
	if to.IsZero() {
		return to
	}
	y, m, d := to.In(London).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, London).Add(-time.Nanosecond)
}

// matchSessions scores every upcoming session of the offers, in the order
// of ids, and sorts the matches.
func matchSessions(req *Request, school *Organisation, ids []string, offers map[string]*Offer,
	now time.Time) []Match {
	var out []Match
	for _, id := range ids {
		o := offers[id]
		if o == nil {
			continue
		}
		for _, sess := range o.Upcoming(now) {
			if m, ok := ScoreMatch(req, school, o, sess, now); ok {
				out = append(out, m)
			}
		}
	}

	sortMatches(out)
	return out
}

// sortMatches orders matches by score, best first, then by session start,
// then by ids so that equal matches keep one order.
func sortMatches(ms []Match) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		switch {
		case a.Score != b.Score:
			return a.Score > b.Score
		case !a.Session.Start.Equal(b.Session.Start):
			return a.Session.Start.Before(b.Session.Start)
		case a.Offer.ID != b.Offer.ID:
			return a.Offer.ID < b.Offer.ID
		case a.Request.ID != b.Request.ID:
			return a.Request.ID < b.Request.ID
		}
		return a.Session.ID < b.Session.ID
	})
}

// cutMatches keeps the first limit matches, with limit defaulted and
// capped.
func cutMatches(ms []Match, limit int) []Match {
	if limit <= 0 {
		limit = MatchLimitDefault
	}
	limit = min(limit, MatchLimitMax)

	if len(ms) > limit {
		ms = ms[:limit]
	}
	return ms
}

// publicMatches replaces each match's request by its public view.
func publicMatches(ms []Match) {
	views := map[*Request]*Request{}
	for i := range ms {
		r := ms[i].Request
		if views[r] == nil {
			views[r] = r.PublicView()
		}
		ms[i].Request = views[r]
	}
}

// MatchOffer finds the open requests an offer suits, best first, each with
// the offer's best session for it. The offer must be visible to the actor:
// public, or the actor's own organisation's, or the actor the coordinator;
// otherwise ENotFound. Requests are shown as PublicView except to the
// coordinator. limit <= 0 means MatchLimitDefault.
func (s *Service) MatchOffer(ctx context.Context, a *Actor, offerID string, limit int) ([]Match, error) {
	o, err := s.offerToMatch(ctx, a, offerID)
	if err != nil {
		return nil, err
	}

	now := s.now()
	var matches []Match
	for offset := 0; offset < matchMaxRequests; offset += matchRequestPage {
		reqs, total, err := s.Store.ListOpenRequests(ctx, offset, matchRequestPage)
		if err != nil {
			return nil, matchFailed("list open requests", err)
		}
		found, err := s.bestForRequests(ctx, o, reqs, now)
		if err != nil {
			return nil, err
		}
		matches = append(matches, found...)
		if len(reqs) < matchRequestPage || offset+len(reqs) >= total {
			break
		}
	}

	sortMatches(matches)
	matches = cutMatches(matches, limit)
	if !a.IsCoordinator() {
		publicMatches(matches)
	}
	return matches, nil
}

// offerToMatch loads an offer the actor may see.
func (s *Service) offerToMatch(ctx context.Context, a *Actor, id string) (*Offer, error) {
	if !ValidID(id) {
		return nil, ErrNotFound("Offer")
	}
	o, err := s.Store.GetOffer(ctx, id)
	if ErrorCode(err) == ENotFound {
		return nil, ErrNotFound("Offer")
	}
	if err != nil {
		return nil, matchFailed("load offer", err)
	}

	if o.Public || canSeePrivate(a, o.OrgID) {
		return o, nil
	}
	return nil, ErrNotFound("Offer")
}

// bestForRequests scores the offer's upcoming sessions against each
// request and keeps the best session per request.
func (s *Service) bestForRequests(ctx context.Context, o *Offer, reqs []*Request,
	now time.Time) ([]Match, error) {
	ids := make([]string, 0, len(reqs))
	for _, r := range reqs {
		ids = append(ids, r.OrgID)
	}
	orgs, err := s.Store.GetOrgs(ctx, ids)
	if err != nil {
		return nil, matchFailed("load requesting organisations", err)
	}

	upcoming := o.Upcoming(now)
	var out []Match
	for _, r := range reqs {
		if best, ok := bestSession(r, orgs[r.OrgID], o, upcoming, now); ok {
			out = append(out, best)
		}
	}
	return out, nil
}

// bestSession returns the highest-scoring session for one request, the
// earliest among equals.
func bestSession(r *Request, org *Organisation, o *Offer, sessions []Session,
	now time.Time) (Match, bool) {
	var best Match
	found := false

	for _, sess := range sessions {
		m, ok := ScoreMatch(r, org, o, sess, now)
		if ok && (!found || m.Score > best.Score) {
			best, found = m, true
		}
	}
	return best, found
}

// matchFailed wraps a storage or search failure as an internal error,
// keeping errors that already carry a code.
func matchFailed(op string, err error) error {
	if code := ErrorCode(err); code != EInternal {
		return err
	}
	return &Error{Code: EInternal, Message: "Matching failed", Cause: fmt.Errorf("%s: %w", op, err)}
}
