package emails

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/encounters/encounters/app"
)

// londonTZID names the time zone that every session time is written in.
const londonTZID = "Europe/London"

// productID is the calendar's PRODID: who wrote it.
const productID = "-//Encounters//Bookings//EN"

// inviteCalendar writes one booking's invite: METHOD:REQUEST for a new or
// changed booking, METHOD:CANCEL for a cancelled one. It returns the
// iCalendar text and the method.
func inviteCalendar(inv app.Invite) (string, string, error) {
	method, status, err := inviteMethod(inv)
	if err != nil {
		return "", "", err
	}

	cal := newCalendar(method)
	ev, err := event(inv, status, true)
	if err != nil {
		return "", "", err
	}
	cal.AddVEvent(ev)
	return cal.Serialize(ics.WithNewLineWindows), string(method), nil
}

// feedCalendar writes a subscription feed of many bookings.
func feedCalendar(name string, invites []app.Invite) (string, error) {
	cal := newCalendar(ics.MethodPublish)
	name = oneLine(name)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone(londonTZID)
	cal.SetXPublishedTTL("PT1H")
	cal.SetRefreshInterval("PT1H")

	for _, inv := range invites {
		status := ics.ObjectStatusConfirmed
		if inv.Cancelled || inv.Method == string(ics.MethodCancel) {
			status = ics.ObjectStatusCancelled
		}
		ev, err := event(inv, status, false)
		if err != nil {
			return "", err
		}
		cal.AddVEvent(ev)
	}
	return cal.Serialize(ics.WithNewLineWindows), nil
}

// inviteMethod decides the method and status of a single invite.
func inviteMethod(inv app.Invite) (ics.Method, ics.ObjectStatus, error) {
	switch {
	case inv.Method == string(ics.MethodCancel) || (inv.Method == "" && inv.Cancelled):
		return ics.MethodCancel, ics.ObjectStatusCancelled, nil
	case inv.Method == string(ics.MethodRequest) || inv.Method == "":
		return ics.MethodRequest, ics.ObjectStatusConfirmed, nil
	}
	return "", "", fmt.Errorf("invite method %q is neither REQUEST nor CANCEL", inv.Method)
}

// newCalendar starts a calendar with its method and the Europe/London
// time zone, which every DTSTART and DTEND refers to.
func newCalendar(method ics.Method) *ics.Calendar {
	cal := ics.NewCalendarFor("Encounters")
	cal.SetProductId(productID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(method)
	cal.AddVTimezone(londonZone())
	return cal
}

// londonZone is Europe/London as a VTIMEZONE: British Summer Time from
// 01:00 GMT on the last Sunday of March, Greenwich Mean Time from 02:00
// BST on the last Sunday of October (the rules since 1996).
func londonZone() *ics.VTimezone {
	tz := ics.NewTimezone(londonTZID)
	summer := &ics.Daylight{}
	zoneRule(&summer.ComponentBase, "+0000", "+0100", "BST", "19960331T010000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	winter := &ics.Standard{}
	zoneRule(&winter.ComponentBase, "+0100", "+0000", "GMT", "19961027T020000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	tz.Components = append(tz.Components, summer, winter)
	return tz
}

func zoneRule(c *ics.ComponentBase, from, to, name, start, rule string) {
	c.SetProperty(ics.ComponentPropertyDtStart, start)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), from)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), to)
	c.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	c.SetProperty(ics.ComponentPropertyRrule, rule)
}

// event writes one booking as a VEVENT. Attendees go only into invites
// sent to them, never into a feed.
func event(inv app.Invite, status ics.ObjectStatus, attendees bool) (*ics.VEvent, error) {
	if inv.UID == "" || inv.Start.IsZero() || !inv.End.After(inv.Start) {
		return nil, fmt.Errorf("invite %q needs a UID and an end after its start", inv.UID)
	}
	ev := ics.NewEvent(inv.UID)
	ev.SetDtStampTime(inv.Stamp)
	ev.SetSequence(inv.Sequence)
	setTime(&ev.ComponentBase, ics.ComponentPropertyDtStart, inv.Start)
	setTime(&ev.ComponentBase, ics.ComponentPropertyDtEnd, inv.End)
	ev.SetSummary(icsText(inv.Summary))
	ev.SetStatus(status)
	if inv.Description != "" {
		ev.SetDescription(icsText(inv.Description))
	}
	if inv.Location != "" {
		ev.SetLocation(icsText(inv.Location))
	}
	if err := setURL(ev, inv.URL); err != nil {
		return nil, err
	}

	if inv.Organizer != "" {
		addr, cn, err := calAddress(inv.Organizer)
		if err != nil {
			return nil, err
		}
		ev.SetOrganizer(addr, cn...)
	}
	if attendees {
		if err := addAttendees(ev, inv.Attendees); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// setTime writes a time as its wall-clock time in Europe/London with
// TZID, which calendars show right on both sides of a clock change. The
// one exception is a time in the hour that happens twice when the clocks
// go back: calendars read such a local time as its first occurrence, so
// it is written in UTC instead, which means exactly one instant.
func setTime(c *ics.ComponentBase, prop ics.ComponentProperty, t time.Time) {
	if repeatedHour(t) {
		c.SetProperty(prop, t.UTC().Format("20060102T150405Z"))
		return
	}
	c.SetProperty(prop, t.In(app.London).Format("20060102T150405"), ics.WithTZID(londonTZID))
}

func setURL(ev *ics.VEvent, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || strings.ContainsAny(raw, " \r\n\t") {
		return fmt.Errorf("invite URL is not an http(s) address")
	}
	ev.SetURL(u.String())
	return nil
}

// noReply asks calendars not to send replies: they would go to an
// address nobody reads.
var noReply = &ics.KeyValues{Key: string(ics.ParameterRsvp), Value: []string{"FALSE"}}

func addAttendees(ev *ics.VEvent, list []string) error {
	for _, a := range list {
		addr, cn, err := calAddress(a)
		if err != nil {
			return err
		}
		params := append(cn, ics.ParticipationRoleReqParticipant,
			ics.ParticipationStatusAccepted, noReply)
		ev.AddAttendee(addr, params...)
	}
	return nil
}

// calAddress turns "Name <a@b>" or "a@b" into a mailto address and, when
// there is a name, a CN parameter that cannot break the line.
func calAddress(s string) (string, []ics.PropertyParameter, error) {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return "", nil, fmt.Errorf("invite address is not an email address")
	}

	var params []ics.PropertyParameter
	if name := paramText(a.Name); name != "" {
		params = append(params, ics.WithCN(name))
	}
	return "mailto:" + a.Address, params, nil
}

// icsText makes free text safe for a TEXT property: line breaks become
// the one kind iCalendar escapes, other control characters go.
func icsText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// paramText makes a name safe as a parameter value, which may hold no
// line break, quote, comma, semicolon or colon. An apostrophe becomes a
// typographic one, which the library writes unchanged.
func paramText(s string) string {
	s = strings.ReplaceAll(s, "'", "\u2019")
	s = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20, r == 0x7f, strings.ContainsRune("\",;:\\", r):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
