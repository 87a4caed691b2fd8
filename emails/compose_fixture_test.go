package emails

import (
	"time"

	"github.com/encounters/encounters/app"
)

// at is a wall-clock time in London.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, app.London)
}

// sampleBooking is a confirmed careers talk on a Tuesday morning.
func sampleBooking() *app.Booking {
	start := at(2027, time.March, 2, 9, 30)
	return &app.Booking{
		ID: "bkg_1", State: app.BookingConfirmed, OfferID: "off_1", SessionID: "ses_1",
		OfferTitle: "Civil engineering: building the A1", OfferType: app.TypeCareersTalk,
		Delivery: app.DeliveryInPerson, Where: "DH1 3LE",
		EmployerID: "org_emp", EmployerName: "Kromek Group",
		OrgID: "org_sch", OrgName: "Durham Johnston School",
		Start: start, End: start.Add(90 * time.Minute),
		Places: 30, Group: app.GroupPupils, YearGroups: []int{9, 10},
		Details: "Two pupils use wheelchairs.",
		History: []app.BookingEvent{
			{Move: "booked", Side: app.SideBooker, OrgID: "org_sch", To: app.BookingRequested},
			{Move: app.MoveConfirm, Side: app.SideEmployer, OrgID: "org_emp", From: app.BookingRequested, To: app.BookingConfirmed},
		},
		Attendance: []app.Attendance{{Audience: "y9", Count: 14}, {Audience: "y10", Count: 13}},
		Sequence:   1,
	}
}

func sampleInvite(b *app.Booking, method string) *app.Invite {
	return &app.Invite{
		UID: b.ID + "@encounters.test", Sequence: b.Sequence, Method: method,
		Summary: b.OfferTitle + " (Kromek Group)", Description: "30 pupils in Years 9 and 10",
		Location: "Kromek Group, NETpark, Sedgefield TS21 3FD", URL: "https://encounters.test/bookings/" + b.ID,
		Start: b.Start, End: b.End, Organizer: "Encounters <no-reply@encounters.test>",
		Attendees: []string{"Ann O'Neill <ann@school.test>", "hr@kromek.test"},
		Cancelled: method == "CANCEL",
		Stamp:     time.Date(2027, time.January, 10, 12, 0, 0, 0, time.UTC),
	}
}

func sampleWaitlist() *app.WaitlistEntry {
	return &app.WaitlistEntry{
		ID: "wl_1", SessionID: "ses_1", OfferID: "off_1", OfferTitle: "Civil engineering: building the A1",
		OrgID: "org_sch", OrgName: "Durham Johnston School", Places: 12, Group: app.GroupPupils,
		State: app.WaitHeld, HoldUntil: at(2027, time.February, 25, 14, 0),
	}
}

func sampleEvent() *app.CivicEvent {
	return &app.CivicEvent{
		ID: "evt_1", Title: "Sedgefield careers fair", Start: at(2027, time.June, 10, 10, 0),
		End: at(2027, time.June, 10, 15, 0), Venue: "Sedgefield Community College",
		GoalPence: 250000, Items: []app.FundingItem{{ID: "coach", Kind: app.FundCoaches, Label: "Coaches from rural schools"}},
		Totals: app.Totals{RaisedPence: 100010, RefundedPence: 1000, ReceivedPence: 5000, PledgedPence: 20000},
	}
}

func sampleSponsorship() *app.Sponsorship {
	return &app.Sponsorship{
		ID: "spn_1", EventID: "evt_1", ItemID: "coach", Method: app.PayCard, State: app.SponsorPaid,
		AmountPence: 100010, RefundedPence: 1999, Name: "Jo Bloggs", Email: "jo@firm.test",
		DisplayName: "Bloggs & Sons", Named: true, Message: "Good luck <all>!",
		PaidAt: at(2027, time.May, 1, 11, 0),
	}
}

// letterFor returns a complete letter of the kind.
func letterFor(kind string) app.Letter {
	b := sampleBooking()
	l := app.Letter{
		Kind: kind, To: "ann@school.test", Name: "Ann", BaseURL: "https://encounters.test",
		Link: "https://encounters.test/bookings/bkg_1", Booking: b,
		Waitlist: sampleWaitlist(), Event: sampleEvent(), Sponsorship: sampleSponsorship(),
		Items: []app.ChecklistItem{
			{Key: app.ItemConsent, Label: "Parental consent for every pupil", Owner: app.SideBooker},
			{Key: app.ItemInsurance, Label: "Employers' liability insurance", Owner: app.SideEmployer, Problem: "it expires before the session"},
		},
	}
	switch kind {
	case "booking_confirmed", "reminder_1d":
		l.Invite = sampleInvite(b, "REQUEST")
	case "booking_cancelled":
		b.State = app.BookingCancelled
		b.History = append(b.History, app.BookingEvent{Move: app.MoveCancel, Side: app.SideBooker, Reason: "Snow closed the school."})
		l.Invite = sampleInvite(b, "CANCEL")
	case "booking_declined":
		l.Reason = "Our engineers are on site that week."
	case "reminder_7d", "feedback_request", "checklist_missing":
		l.Unsubscribe = "https://encounters.test/unsubscribe/usr_1/secret/reminders"
	}
	return l
}
