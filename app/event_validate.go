package app

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Civic event limits. Money limits are pence.
const (
	EventTitleMin       = 5
	EventTitleMax       = 120
	EventDescriptionMax = 4000
	EventVenueMax       = 200
	MaxFundingItems     = 20
	FundingLabelMax     = 80
	// MinGoalPence and MaxGoalPence bound an event's goal and its items'.
	MinGoalPence = 100
	MaxGoalPence = 10_000_000_00
	// MinSponsorPence is the smallest card sponsorship an event may allow;
	// MaxCardPence the largest one Stripe takes in one GBP payment.
	MinSponsorPence = 100
	MaxCardPence    = 999_999_99
	// DefaultMinSponsorPence and DefaultMaxSponsorPence apply when an
	// event sets no limits.
	DefaultMinSponsorPence = 500
	DefaultMaxSponsorPence = 10_000_00
)

// TooManyItemsMessage refuses an event with more than MaxFundingItems
// funding items.
var TooManyItemsMessage = fmt.Sprintf("An event can have at most %d items.", MaxFundingItems)

// TimeLayout is how times of day are typed: "15:04".
const TimeLayout = "15:04"

// checkEvent validates every field of in and returns the event it
// describes. old is the stored event when updating, nil when creating: its
// items keep their ids, and its date may stay in the past when unchanged.
func (s *Service) checkEvent(ctx context.Context, in EventInput, old *CivicEvent) (*CivicEvent, error) {
	var p Problems
	e := &CivicEvent{
		Title:       checkLine(&p, "title", "a title", in.Title, EventTitleMin, EventTitleMax),
		Description: checkText(&p, "description", "a description", in.Description, 1, EventDescriptionMax),
		Venue:       checkLine(&p, "venue", "the venue", in.Venue, 2, EventVenueMax),
		GoalPence:   checkPounds(&p, "goal", "The goal", in.Goal, true, 0, MinGoalPence, MaxGoalPence),
	}
	e.Start, e.End = checkEventTimes(&p, in, old, s.now())
	checkSponsorLimits(&p, e, in)
	e.Items = checkFundingItems(&p, in.Items, old, e.GoalPence)

	if strings.TrimSpace(in.Postcode) == "" {
		p.Add("postcode", "Enter the postcode of the venue.")
	} else {
		var err error
		e.Postcode, e.Location, err = s.placePostcode(ctx, &p, "postcode", in.Postcode)
		if err != nil {
			return nil, err
		}
	}
	return e, p.Err()
}

// checkEventTimes reads the date and times in Europe/London. An event must
// start after now, unless it is stored already and its start is unchanged.
func checkEventTimes(p *Problems, in EventInput, old *CivicEvent, now time.Time) (start, end time.Time) {
	day, err := time.ParseInLocation(DateLayout, strings.TrimSpace(in.Date), London)
	if err != nil {
		if strings.TrimSpace(in.Date) == "" {
			p.Add("date", "Enter the date of the event.")
		} else {
			p.Add("date", "Enter the date of the event as a date, like 2026-03-14.")
		}
		return time.Time{}, time.Time{}
	}

	start, okStart := checkTimeOfDay(p, "start_time", "starts", day, in.StartTime)
	end, okEnd := checkTimeOfDay(p, "end_time", "ends", day, in.EndTime)
	if !okStart || !okEnd {
		return start, end
	}
	if !end.After(start) {
		p.Add("end_time", "The event must end after it starts, on the same day.")
	}
	unchanged := old != nil && old.Start.Equal(start)
	if !unchanged && !start.After(now) {
		p.Add("date", "The event starts in the past: choose a date and time from now on.")
	}
	return start, end
}

// checkTimeOfDay reads a time typed as "15:04" on day, in Europe/London,
// refusing a time the clocks skip in spring.
func checkTimeOfDay(p *Problems, field, verb string, day time.Time, s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		p.Add(field, "Enter the time the event %s.", verb)
		return time.Time{}, false
	}

	clock, err := time.Parse(TimeLayout, s)
	if err != nil {
		p.Add(field, "Enter the time the event %s as hours and minutes, like 09:30.", verb)
		return time.Time{}, false
	}
	t := time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, London)
	if t.Hour() != clock.Hour() || t.Minute() != clock.Minute() {
		p.Add(field, "That time does not exist in the UK on that day: the clocks go forward "+
			"an hour that night. Choose a time after 2am.")
		return time.Time{}, false
	}
	return t.UTC(), true
}

// checkSponsorLimits reads the smallest and largest card sponsorship the
// event takes.
func checkSponsorLimits(p *Problems, e *CivicEvent, in EventInput) {
	e.MinPence = checkPounds(p, "min_amount", "The smallest amount", in.MinAmount, false,
		DefaultMinSponsorPence, MinSponsorPence, MaxCardPence)
	e.MaxPence = checkPounds(p, "max_amount", "The largest amount", in.MaxAmount, false,
		DefaultMaxSponsorPence, MinSponsorPence, MaxCardPence)

	if !p.Has("min_amount") && !p.Has("max_amount") && e.MinPence > e.MaxPence {
		p.Add("max_amount", "The largest amount (%s) must not be less than the smallest (%s).",
			FormatPence(e.MaxPence), FormatPence(e.MinPence))
	}
}

// checkFundingItems validates what the money pays for. Items of the stored
// event keep their ids; their goals may not add up to more than goal.
func checkFundingItems(p *Problems, in []FundingItemInput, old *CivicEvent, goal int64) []FundingItem {
	if len(in) > MaxFundingItems {
		p.Add("items", "%s", TooManyItemsMessage)
		return nil
	}

	var out []FundingItem
	var sum int64
	seen := map[string]bool{}
	for i, ii := range in {
		it := checkFundingItem(p, ii, i)
		it.ID = fundingItemID(p, ii.ID, old, seen, i)
		sum += it.GoalPence
		out = append(out, it)
	}
	if goal > 0 && sum > goal && !p.Has("goal") {
		p.Add("items", "The items' goals add up to %s, more than the event's goal of %s.",
			FormatPence(sum), FormatPence(goal))
	}
	return out
}

func checkFundingItem(p *Problems, in FundingItemInput, i int) FundingItem {
	field := fmt.Sprintf("items[%d]", i)
	it := FundingItem{Kind: strings.TrimSpace(in.Kind), Label: strings.TrimSpace(in.Label)}

	if !fundKind(it.Kind) {
		p.Add(field+".kind", "Choose what item %d pays for: venue, coaches, materials or other.", i+1)
	}
	switch n := len([]rune(it.Label)); {
	case n == 0:
		p.Add(field+".label", "Enter what item %d is, like \"Coach from Stanley\".", i+1)
	case n > FundingLabelMax:
		p.Add(field+".label", "Item %d must be described in %d characters or fewer (it has %d).",
			i+1, FundingLabelMax, n)
	}

	what := fmt.Sprintf("The goal of item %d", i+1)
	it.GoalPence = checkPounds(p, field+".goal", what, in.Goal, true, 0, MinGoalPence, MaxGoalPence)
	return it
}

// fundingItemID keeps the id of a stored item named by id, or makes one
// for a new item.
func fundingItemID(p *Problems, id string, old *CivicEvent, seen map[string]bool, i int) string {
	if id == "" {
		return NewID("itm")
	}

	if old == nil || old.Item(id) == nil || seen[id] {
		p.Add(fmt.Sprintf("items[%d].id", i),
			"Item %d is not one of this event's items: reload the page and try again.", i+1)
		return id
	}
	seen[id] = true
	return id
}

func fundKind(kind string) bool {
	for _, k := range FundKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// Item returns the event's funding item with the id, or nil.
func (e *CivicEvent) Item(id string) *FundingItem {
	for i := range e.Items {
		if e.Items[i].ID == id {
			return &e.Items[i]
		}
	}
	return nil
}

// Passed reports whether the event has ended by now.
func (e *CivicEvent) Passed(now time.Time) bool { return !e.End.After(now) }

// TakesSponsors reports whether the event takes sponsorships now: it is
// open and has not ended.
func (e *CivicEvent) TakesSponsors(now time.Time) bool {
	return e.Status == EventOpen && !e.Passed(now)
}
