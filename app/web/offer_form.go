package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// Session rows on the offer form: at least minSessionRows, and
// spareSessionRows empty ones after the sessions already entered.
const (
	minSessionRows   = 5
	spareSessionRows = 2
	maxSessionRows   = 60
)

// offerForm is the offer form's values as typed, for showing it again.
type offerForm struct {
	Title        string
	Description  string
	Type         string
	Sector       string
	Audience     []string
	Delivery     string
	Postcode     string
	AtSchool     bool
	AtSchoolKm   string
	Access       []string
	Safeguarding string
	Sessions     []sessionRow
}

// sessionRow is one row of session inputs, named sessions[N].date and so
// on, where N is Index.
type sessionRow struct {
	Index  int
	ID     string
	Date   string
	Start  string
	End    string
	Places string
}

func (r sessionRow) blank() bool {
	return r.Date == "" && r.Start == "" && r.End == "" && r.Places == ""
}

// Field is the name (and id) of one input of the row.
func (r sessionRow) Field(name string) string {
	return fmt.Sprintf("sessions[%d].%s", r.Index, name)
}

// readOfferForm copies the posted offer form. Empty session rows are
// dropped (emptying an existing session's row removes it) and the rest
// numbered from 0, as the service numbers them in its messages.
func readOfferForm(c *fiber.Ctx) offerForm {
	f := offerForm{
		Title: c.FormValue("title"), Description: c.FormValue("description"),
		Type: c.FormValue("type"), Sector: c.FormValue("sector"),
		Audience: formList(c, "audience"), Delivery: c.FormValue("delivery"),
		Postcode: c.FormValue("postcode"), AtSchool: c.FormValue("at_school") != "",
		AtSchoolKm: strings.TrimSpace(c.FormValue("at_school_km")), Access: formList(c, "access"),
		Safeguarding: c.FormValue("safeguarding"),
	}
	for i := 0; i < maxSessionRows; i++ {
		in := sessionRow{Index: i}
		if !formHas(c, in.Field("date")) {
			break
		}
		r := sessionRow{Index: len(f.Sessions),
			ID:     strings.TrimSpace(c.FormValue(in.Field("id"))),
			Date:   strings.TrimSpace(c.FormValue(in.Field("date"))),
			Start:  strings.TrimSpace(c.FormValue(in.Field("start"))),
			End:    strings.TrimSpace(c.FormValue(in.Field("end"))),
			Places: strings.TrimSpace(c.FormValue(in.Field("places")))}
		if !r.blank() {
			f.Sessions = append(f.Sessions, r)
		}
	}

	return f
}

// formHas reports whether the posted form has a field called name, even
// an empty one.
func formHas(c *fiber.Ctx, name string) bool {
	if form, err := c.MultipartForm(); err == nil {
		_, ok := form.Value[name]
		return ok
	}
	return c.Request().PostArgs().Has(name)
}

// formList returns every value posted under name (checkboxes), from a
// urlencoded or a multipart form.
func formList(c *fiber.Ctx, name string) []string {
	var out []string
	if form, err := c.MultipartForm(); err == nil {
		out = append(out, form.Value[name]...)
	} else {
		for _, v := range c.Request().PostArgs().PeekMulti(name) {
			out = append(out, string(v))
		}
	}
	return out
}

// input turns the form into the service's OfferInput. Session rows are
// checked here, as typed (a date, two times and a whole number), and each
// problem names the input. Numbers out of range go on to the service,
// which states the range: places from 1 to app.MaxPlaces, a travel
// distance from 1 to app.MaxAtSchoolKm.
func (f offerForm) input() (app.OfferInput, error) {
	in := app.OfferInput{
		Title: f.Title, Description: f.Description, Type: f.Type, Sector: f.Sector,
		Audience: f.Audience, Delivery: f.Delivery, Postcode: f.Postcode,
		AtSchool: f.AtSchool, Access: f.Access, Safeguarding: f.Safeguarding,
	}

	var probs app.Problems
	if f.AtSchoolKm != "" {
		km, err := strconv.Atoi(f.AtSchoolKm)
		if err != nil {
			probs.Add("at_school_km", "Enter how far you will travel as a whole number of kilometres, like 15.")
		}
		in.AtSchoolKm = km
	}
	for _, r := range f.Sessions {
		if s, ok := r.check(&probs); ok {
			in.Sessions = append(in.Sessions, s)
		}
	}

	return in, probs.Err()
}

var timePattern = regexp.MustCompile(`^([01]?\d|2[0-3])[:.]([0-5]\d)$`)

// check reads one session row, adding a problem for each bad input.
func (r sessionRow) check(probs *app.Problems) (app.SessionInput, bool) {
	n := r.Index + 1
	_, dateErr := time.Parse("2006-01-02", r.Date)
	if dateErr != nil {
		probs.Add(r.Field("date"), "Enter the date of session %d, like 2027-03-15.", n)
	}
	start, okStart := clockTime(r.Start)
	if !okStart {
		probs.Add(r.Field("start"), "Enter the start time of session %d, like 09:30.", n)
	}
	end, okEnd := clockTime(r.End)
	if !okEnd {
		probs.Add(r.Field("end"), "Enter the end time of session %d, like 11:00.", n)
	}
	places, err := strconv.Atoi(r.Places)
	okPlaces := err == nil
	if !okPlaces {
		probs.Add(r.Field("places"), "Enter the number of places in session %d as a whole number, like 30.", n)
	}

	if dateErr != nil || !okStart || !okEnd || !okPlaces {
		return app.SessionInput{}, false
	}
	return app.SessionInput{ID: r.ID, Start: r.Date + "T" + start, End: r.Date + "T" + end,
		Places: places}, true
}

// clockTime reads "9:30", "09:30" or "9.30" as "09:30".
func clockTime(s string) (string, bool) {
	m := timePattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	h, _ := strconv.Atoi(m[1])
	return fmt.Sprintf("%02d:%s", h, m[2]), true
}

// offerFormOf fills the form from a stored offer, for editing.
func offerFormOf(o *app.Offer) offerForm {
	f := offerForm{
		Title: o.Title, Description: o.Description, Type: o.Type, Sector: o.Sector,
		Audience: o.Audience, Delivery: o.Delivery, Postcode: o.Postcode, AtSchool: o.AtSchool,
		Access: o.Access, Safeguarding: o.Safeguarding,
	}
	if o.AtSchoolKm > 0 {
		f.AtSchoolKm = strconv.Itoa(o.AtSchoolKm)
	}
	for i, s := range o.Sessions {
		start, end := s.Start.In(app.London), s.End.In(app.London)
		f.Sessions = append(f.Sessions, sessionRow{Index: i, ID: s.ID,
			Date: start.Format("2006-01-02"), Start: start.Format("15:04"),
			End: end.Format("15:04"), Places: strconv.Itoa(s.Places)})
	}

	return f
}

// withSpareRows adds empty session rows for new sessions.
func (f offerForm) withSpareRows() offerForm {
	rows := min(max(len(f.Sessions)+spareSessionRows, minSessionRows), maxSessionRows)
	for i := len(f.Sessions); i < rows; i++ {
		f.Sessions = append(f.Sessions, sessionRow{Index: i})
	}
	return f
}
