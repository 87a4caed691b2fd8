package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/encounters/encounters/app"
)

// afterBowburn is half an hour after the Bowburn talk's first session
// ended (Tuesday 1 December 2026, 10:00 to 12:00).
var afterBowburn = time.Date(2026, time.December, 1, 12, 30, 0, 0, app.London)

// mustTakePlace books the Bowburn talk's first session for the school and
// confirms it, before the session; the caller moves the clock past it.
func (m *market) mustTakePlace(t *testing.T) *app.Booking {
	t.Helper()
	ctx := context.Background()
	b := m.mustBook(t, m.schoolActor, m.bowburn.Sessions[0].ID, 30, 9)
	if _, err := m.ts.Svc.UpdateChecklist(ctx, m.employerActor, b.ID, app.ChecklistInput{Assurance: true}); err != nil {
		t.Fatalf("assurance: %v", err)
	}
	b, err := m.ts.Svc.MoveBooking(ctx, m.employerActor, b.ID, app.MoveConfirm, app.MoveInput{})
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	return b
}

// pendingJobs counts the emails waiting in the outbox.
func (m *market) pendingJobs(t *testing.T) int {
	t.Helper()
	_, total, err := m.ts.Store.ListJobs(context.Background(), app.JobPending, 0, 1)
	if err != nil {
		t.Fatalf("list jobs: %v", err)
	}
	return total
}

func TestBookingFeedbackPage(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustTakePlace(t)
	page := "/bookings/" + b.ID
	early := m.as(t, m.schoolEmail)
	wantLacks(t, early.get(page), `id="feedback"`, `name="rating"`)
	wantStatus(t, early.postForm(page+"/feedback", url.Values{"rating": {"4"}}), http.StatusConflict)

	m.ts.Svc.Now = func() time.Time { return afterBowburn }
	jobs := m.pendingJobs(t)
	school, employer := m.as(t, m.schoolEmail), m.as(t, m.employerEmail)
	wantContains(t, school.get(page), `id="feedback"`, "Your feedback", "How useful was it for your learners?",
		`id="rating" name="rating" type="radio" value="5"`, "Would you book Kromek Demo Ltd again?", "Send feedback")
	res := employer.get(page)
	wantContains(t, res, "How well did it go?", `name="rating"`)
	wantLacks(t, res, `name="would_book_again"`)

	steps := []struct {
		name     string
		c        *client
		form     url.Values
		status   int
		want     []string
		location string
	}{
		{"no rating", school, url.Values{"comment": {"Kept as typed"}}, 422,
			[]string{`href="#rating"`, "Choose how useful it was for your learners, from 1 to 5.",
				"Kept as typed", "govuk-form-group--error"}, ""},
		{"a rating that is not a number", employer, url.Values{"rating": {"lots"}}, 422,
			[]string{`href="#rating"`, "Choose how well it went"}, ""},
		{"a comment too long", school, url.Values{"rating": {"3"}, "comment": {strings.Repeat("a", 2001)}}, 422,
			[]string{`href="#comment"`, "govuk-textarea--error", `value="3" checked`}, ""},
		{"would book again, neither yes nor no", school, url.Values{"rating": {"3"}, "would_book_again": {"maybe"}},
			422, []string{`href="#would_book_again"`}, ""},
		{"the employer answering for the booker", employer,
			url.Values{"rating": {"3"}, "would_book_again": {"yes"}}, 422, []string{"Only the organisation that booked"}, ""},
		{"another employer", m.as(t, m.rivalEmail), url.Values{"rating": {"1"}}, 404, nil, ""},
		{"another school", m.as(t, m.otherSchoolEmail), url.Values{"rating": {"1"}}, 404, nil, ""},
		{"the school's feedback", school, url.Values{"rating": {"4"}, "would_book_again": {"yes"},
			"comment": {"The pupils <b>loved</b> the robot arm."}}, 303, nil, page + "#feedback"},
		{"the employer's feedback", employer, url.Values{"rating": {"5"}, "comment": {"Sharp questions."}},
			303, nil, page + "#feedback"},
		{"the school changes its mind", school, url.Values{"rating": {"5"}, "would_book_again": {"yes"},
			"comment": {"The pupils <b>loved</b> the robot arm."}}, 303, nil, page + "#feedback"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.c.get("/bookings")
			res := st.c.postForm(page+"/feedback", st.form)
			if st.location != "" {
				wantRedirect(t, res, st.location)
				return
			}
			wantStatus(t, res, st.status)
			wantContains(t, res, st.want...)
		})
	}

	res = employer.get(page)
	wantContains(t, res, feedbackSaved, "From Durham Johnston Comprehensive (booker)", "5 out of 5: extremely useful",
		"Would book this employer again", "The pupils &lt;b&gt;loved&lt;/b&gt; the robot arm.",
		"You gave your feedback on", `value="5" checked`, "Sharp questions.", "Update your feedback")
	wantLacks(t, res, "<b>loved</b>", m.schoolEmail)
	wantContains(t, school.get(page), "From Kromek Demo Ltd (employer)", "5 out of 5: very well", "Sharp questions.")
	if got := m.pendingJobs(t); got != jobs {
		t.Fatalf("feedback queued %d emails", got-jobs)
	}
}

// feedbackBody is the feedback part of a booking in the API.
type feedbackBody struct {
	Feedback map[string]struct {
		Rating         int    `json:"rating"`
		Comment        string `json:"comment"`
		WouldBookAgain *bool  `json:"would_book_again"`
		OrgID          string `json:"organisation_id"`
	} `json:"feedback"`
}

func TestAPIBookingFeedback(t *testing.T) {
	m := newBookingMarket(t)
	b := m.mustTakePlace(t)
	path := "/api/v1/bookings/" + b.ID
	school, employer := m.apiClient(t, m.schoolEmail), m.apiClient(t, m.employerEmail)
	wantAPIError(t, school.postJSON(path+"/feedback", `{"rating": 4}`), http.StatusConflict, "",
		"once the session has ended")

	m.ts.Svc.Now = func() time.Time { return afterBowburn }
	res := school.get(path)
	wantContains(t, res, `"feedback":{}`)

	tests := []struct {
		name   string
		c      *client
		body   string
		status int
		field  string
	}{
		{"no rating", school, `{"comment": "Good"}`, 422, "rating"},
		{"a rating of 6", school, `{"rating": 6}`, 422, "rating"},
		{"a rating as text", school, `{"rating": "4"}`, 400, ""},
		{"an unknown field", school, `{"rating": 4, "stars": 5}`, 400, ""},
		{"the employer answering for the booker", employer, `{"rating": 4, "would_book_again": false}`, 422,
			"would_book_again"},
		{"another employer", m.apiClient(t, m.rivalEmail), `{"rating": 4}`, 404, ""},
		{"the school", school, `{"rating": 4, "comment": "Worth it.", "would_book_again": true}`, 200, ""},
		{"the employer", employer, `{"rating": 3}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.c.postJSON(path+"/feedback", tt.body)
			if tt.status != http.StatusOK {
				wantAPIError(t, res, tt.status, tt.field, "")
				return
			}
			wantStatus(t, res, http.StatusOK)
		})
	}

	var got feedbackBody
	decodeJSON(t, employer.get(path), &got)
	mine, theirs := got.Feedback[app.SideEmployer], got.Feedback[app.SideBooker]
	if mine.Rating != 3 || mine.WouldBookAgain != nil || mine.OrgID != m.employer.ID {
		t.Fatalf("employer's feedback %+v", mine)
	}
	if theirs.Rating != 4 || theirs.Comment != "Worth it." || theirs.WouldBookAgain == nil ||
		!*theirs.WouldBookAgain || theirs.OrgID != m.school.ID {
		t.Fatalf("school's feedback %+v", theirs)
	}
}
