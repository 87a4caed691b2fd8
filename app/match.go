package app

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Matching, in two steps. Hard rules first: a session that fails any of
// them is not a match at all, whatever its score would be.
//
//   - The offer type equals the request type. A careers fair does not stand
//     in for a careers talk: a fair needs a hall, many employers and a day
//     of the timetable, so a school asking for a talk has not asked for it.
//   - The offer is public (published by a verified employer).
//   - The session has not started and starts on a day (Europe/London)
//     between the request's From and To, both inclusive.
//   - The session has places left for the whole group. A group is never
//     split over sessions yet; pooling small groups comes later.
//   - Every audience the request names is one the offer serves, and work
//     experience is never offered to Years 1 to 9: placements for pupils
//     of compulsory school age are for Years 10 and 11 only (Education
//     Act 1996 s.560).
//   - The offer has every access feature the request needs.
//   - The school can book (open, and a school, college or provider).
//   - Place: an in-person offer must be within the request's travel limit;
//     an offer delivered at the school must have the school within its
//     AtSchoolKm; a hybrid offer passes within the limit or when the
//     request accepts virtual delivery; a virtual offer passes only when
//     the request accepts virtual delivery.
//
// Then the score, 0 to 100. Each part that gives points adds a sentence to
// the match's reasons, so a person can see why it ranks where it does:
//
//	part     points  how
//	travel     25    in person: 25 at the door, falling to 5 at the travel
//	                 limit; at the school: 25; virtual: 12; hybrid beyond
//	                 the limit, joined virtually: 10. Virtual scores below
//	                 a near visit: meeting people where they work counts
//	                 for more (Gatsby Benchmark 6).
//	sector     15    the sector asked for: 15; no sector asked: 5
//	topic       5    the offer's words mention the request's topic
//	places     10    how well the group fills the places left (best fit
//	                 keeps big sessions for big groups): 10 x group/left,
//	                 at least 2
//	access      5    every access need named by the request is met
//	timing      5    7 to 90 days ahead: 5; sooner: 2; later: 3
//	equity     35    no employer encounter this year: 15 (one or two: 8);
//	                 IMD decile 1, 2, 3: 15, 12, 9; rural: 5
//
// Equity is a third of the score on purpose: when places are scarce, the
// schools in the most deprived areas and those with the fewest encounters
// so far come first.
const (
	weightTravel        = 25.0
	weightTravelAtLimit = 5.0
	weightAtSchool      = 25.0
	weightVirtual       = 12.0
	weightHybridRemote  = 10.0
	weightSector        = 15.0
	weightAnySector     = 5.0
	weightTopic         = 5.0
	weightPlaces        = 10.0
	weightPlacesMin     = 2.0
	weightAccess        = 5.0
	weightTimingGood    = 5.0
	weightTimingSoon    = 2.0
	weightTimingLate    = 3.0
	weightNoEncounters  = 15.0
	weightFewEncounters = 8.0
	weightRural         = 5.0
)

// weightDeprivation gives the points for IMD deciles 1 to 3.
var weightDeprivation = map[int]float64{1: 15, 2: 12, 3: 9}

// ScoreMatch scores one session of an offer against a request from school
// (the request's organisation) at time now. ok is false when a hard rule
// rules the session out; the Match is then zero. The returned Match points
// at req and o; Reasons are in the order of the parts above.
func ScoreMatch(req *Request, school *Organisation, o *Offer, s Session, now time.Time) (Match, bool) {
	if req == nil || school == nil || o == nil {
		return Match{}, false
	}
	if !matchAllowed(req, school, o, s, now) {
		return Match{}, false
	}
	m := Match{Request: req, Offer: o, Session: s}
	if !scorePlace(&m, req, o) {
		return Match{}, false
	}

	scoreSector(&m, req, o)
	scoreTopic(&m, req, o)
	scorePlaces(&m, req, s)
	scoreAccess(&m, req)
	scoreTiming(&m, s, now)
	scoreEquity(&m, school, now)

	m.Score = math.Round(math.Min(100, math.Max(0, m.Score))*10) / 10
	return m, true
}

// matchAllowed applies every hard rule except place, which scorePlace
// checks while it measures the distance.
func matchAllowed(req *Request, school *Organisation, o *Offer, s Session, now time.Time) bool {
	switch {
	case o.Type != req.Type, !o.Public, !school.CanBook():
		return false
	case !s.Start.After(now), !sessionInWindow(s.Start, req.From, req.To):
		return false
	case s.PlacesLeft() < req.GroupSize:
		return false
	}
	return audienceAllowed(req, o) && accessMet(req, o)
}

// sessionInWindow reports whether t falls on a London day between the days of
// from and to, inclusive. A zero bound is open.
func sessionInWindow(t, from, to time.Time) bool {
	day := matchDay(t)
	if !from.IsZero() && day < matchDay(from) {
		return false
	}
	return to.IsZero() || day <= matchDay(to)
}

// matchDay numbers the calendar day of t in London, for comparing and
// subtracting days.
func matchDay(t time.Time) int {
	y, m, d := t.In(London).Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// audienceAllowed reports whether the offer serves every audience the
// request names, and keeps work experience to Year 10 and above.
func audienceAllowed(req *Request, o *Offer) bool {
	if len(req.Audience) == 0 {
		return false
	}

	for _, code := range req.Audience {
		if !o.ServesAudience(code) {
			return false
		}
		if y := YearOf(code); o.Type == TypeWorkExperience && y > 0 && y < 10 {
			return false
		}
	}
	return true
}

// accessMet reports whether the offer has every access feature the request
// needs.
func accessMet(req *Request, o *Offer) bool {
	for _, need := range req.Access {
		if !o.HasAccess(need) {
			return false
		}
	}
	return true
}

// scorePlace applies the travel rules and adds the travel part. It reports
// false when the offer is out of reach.
func scorePlace(m *Match, req *Request, o *Offer) bool {
	var km float64
	known := req.Location.Known() && o.Location.Known()
	if known {
		km = DistanceKm(req.Location, o.Location)
		rounded := math.Round(km*10) / 10
		m.DistanceKm = &rounded
	}

	switch {
	case o.Delivery == DeliveryVirtual:
		return req.VirtualOK && m.add(weightVirtual, "Virtual, so no travel")
	case o.AtSchool:
		return known && km <= float64(o.AtSchoolKm) &&
			m.add(weightAtSchool, fmt.Sprintf("They come to your school, %.0f km from their base", km))
	case known && km <= float64(req.TravelKm):
		return m.add(travelPoints(km, req.TravelKm), journey(km))
	case o.Delivery == DeliveryHybrid && req.VirtualOK:
		return m.add(weightHybridRemote, hybridRemoteReason(km, known))
	}
	return false
}

// travelPoints falls from weightTravel at no distance to
// weightTravelAtLimit at the travel limit.
func travelPoints(km float64, limitKm int) float64 {
	if limitKm <= 0 {
		return weightTravel
	}
	return weightTravel - (weightTravel-weightTravelAtLimit)*km/float64(limitKm)
}

// journey describes a drive: "11 km, about 19 minutes by car".
func journey(km float64) string {
	if km < 1 {
		return "Under 1 km, a few minutes by car"
	}
	return fmt.Sprintf("%.0f km, about %d minutes by car", km, DriveMinutes(km))
}

func hybridRemoteReason(km float64, known bool) string {
	if !known {
		return "Hybrid: you can join virtually"
	}
	return fmt.Sprintf("Hybrid: %.0f km away, so you can join virtually", km)
}

// add adds points and the sentence that explains them. It returns true so
// that rules can add in the same expression that passes.
func (m *Match) add(points float64, reason string) bool {
	m.Score += points
	m.Reasons = append(m.Reasons, reason)
	return true
}

func scoreSector(m *Match, req *Request, o *Offer) {
	label := LabelOf(Sectors, o.Sector)
	switch {
	case req.Sector == "":
		m.add(weightAnySector, label+": any sector suits you")
	case req.Sector == o.Sector:
		m.add(weightSector, label+", as asked")
	default:
		m.add(0, fmt.Sprintf("%s (you asked for %s)", label, LabelOf(Sectors, req.Sector)))
	}
}

// scoreTopic gives points when a word of the request's topic (four
// letters or more, and not one every request uses) is a word of the
// offer's title or description.
func scoreTopic(m *Match, req *Request, o *Offer) {
	words := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(o.Title+" "+o.Description), notLetterOrDigit) {
		words[w] = true
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(req.Topic), notLetterOrDigit) {
		if len(w) >= 4 && !commonTopicWords[w] && words[w] {
			m.add(weightTopic, fmt.Sprintf("Mentions %q, your topic", w))
			return
		}
	}
}

// commonTopicWords say nothing about what a request is about, so they never
// count as its topic.
var commonTopicWords = map[string]bool{
	"year": true, "years": true, "pupils": true, "students": true, "learners": true,
	"group": true, "class": true, "talk": true, "talks": true, "visit": true,
	"career": true, "careers": true, "work": true, "with": true, "from": true,
	"about": true, "their": true, "them": true, "this": true, "that": true,
	"some": true, "would": true, "like": true, "want": true, "need": true, "for": true,
}

func notLetterOrDigit(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
}

// scorePlaces rewards the session the group fills best.
func scorePlaces(m *Match, req *Request, s Session) {
	left := s.PlacesLeft()
	points := weightPlacesMin
	if left > 0 {
		points = math.Max(weightPlacesMin, weightPlaces*float64(req.GroupSize)/float64(left))
	}

	who := groupNoun(req.Audience)
	if s.PlacesTaken > 0 {
		m.add(points, fmt.Sprintf("%d places left for your %d %s", left, req.GroupSize, who))
		return
	}
	m.add(points, fmt.Sprintf("%d places for your %d %s", left, req.GroupSize, who))
}

// groupNoun names the people in a group: pupils, adults or teachers.
func groupNoun(audience []string) string {
	if len(audience) == 1 && audience[0] == AudienceAdults {
		return "adults"
	}
	if len(audience) == 1 && audience[0] == AudienceTeachers {
		return "teachers"
	}

	for _, a := range audience {
		if YearOf(a) > 0 {
			return "pupils"
		}
	}
	return "learners"
}

// scoreAccess explains the access needs that the hard rules found met.
func scoreAccess(m *Match, req *Request) {
	if len(req.Access) == 0 {
		return
	}
	m.add(weightAccess, LabelOf(AccessFeatures, req.Access[0]))
	for _, need := range req.Access[1:] {
		m.add(0, LabelOf(AccessFeatures, need))
	}
}

// scoreTiming prefers sessions with time to prepare but not months away.
func scoreTiming(m *Match, s Session, now time.Time) {
	days := matchDay(s.Start) - matchDay(now)
	when := fmt.Sprintf("In %d days", days)
	switch days {
	case 0:
		when = "Today"
	case 1:
		when = "Tomorrow"
	}

	switch {
	case days < 7:
		m.add(weightTimingSoon, when+": short notice, inside your window")
	case days <= 90:
		m.add(weightTimingGood, when+", inside your window")
	default:
		m.add(weightTimingLate, when+", inside your window")
	}
}

// scoreEquity raises the score of schools with few encounters so far and
// of those in deprived or rural areas.
func scoreEquity(m *Match, school *Organisation, now time.Time) {
	noun := orgNoun(school.Kind)
	switch n := school.Encounters(now); {
	case n == 0:
		m.add(weightNoEncounters, "This "+noun+" has had no employer encounter this year")
	case n == 1:
		m.add(weightFewEncounters, "This "+noun+" has had only one employer encounter this year")
	case n == 2:
		m.add(weightFewEncounters, "This "+noun+" has had only two employer encounters this year")
	}

	if points, ok := weightDeprivation[school.IMDDecile]; ok {
		m.add(points, fmt.Sprintf(
			"This %s serves one of the most deprived areas in England (IMD decile %d)",
			noun, school.IMDDecile))
	}
	if school.Rural {
		m.add(weightRural, "Rural "+noun+": fewer employers nearby")
	}
}

// orgNoun is the word for a learners' organisation in reasons.
func orgNoun(k OrgKind) string {
	switch k {
	case KindCollege:
		return "college"
	case KindProvider:
		return "provider"
	}
	return "school"
}
