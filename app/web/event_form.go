package web

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// Funding item rows on the event form: at least eventItemRows, one spare
// after the items entered, and never more than maxItemRows, as many as an
// event may have. A fixed set of rows needs no script.
const (
	eventItemRows = 4
	maxItemRows   = app.MaxFundingItems
)

// eventForm is the event form's values as typed, for showing it again.
type eventForm struct {
	Title       string
	Description string
	Date        string
	StartTime   string
	EndTime     string
	Venue       string
	Postcode    string
	Goal        string
	MinAmount   string
	MaxAmount   string
	Items       []itemRow
	// TooMany is set when the post named an item row the form never
	// shows (items[N] with N of maxItemRows or more): more items than an
	// event may have.
	TooMany bool
}

// itemRow is one row of funding item inputs, named items[N].kind and so
// on, where N is Index.
type itemRow struct {
	Index int
	ID    string
	Kind  string
	Label string
	Goal  string
}

// Field is the name (and id) of one input of the row.
func (r itemRow) Field(name string) string {
	return fmt.Sprintf("items[%d].%s", r.Index, name)
}

func (r itemRow) blank() bool {
	return r.Kind == "" && r.Label == "" && r.Goal == ""
}

// readEventForm copies the posted event form. Empty item rows are dropped
// and the rest numbered from 0, as the service numbers them in its
// messages.
func readEventForm(c *fiber.Ctx) eventForm {
	f := eventForm{
		Title: c.FormValue("title"), Description: c.FormValue("description"),
		Date: trimmed(c, "date"), StartTime: trimmed(c, "start_time"),
		EndTime: trimmed(c, "end_time"), Venue: c.FormValue("venue"),
		Postcode: c.FormValue("postcode"), Goal: trimmed(c, "goal"),
		MinAmount: trimmed(c, "min_amount"), MaxAmount: trimmed(c, "max_amount"),
		TooMany: namesRowBeyond(c, maxItemRows),
	}
	for i := 0; i < maxItemRows; i++ {
		in := itemRow{Index: i}
		if !formHas(c, in.Field("label")) {
			break
		}
		r := itemRow{Index: len(f.Items), ID: trimmed(c, in.Field("id")),
			Kind: trimmed(c, in.Field("kind")), Label: trimmed(c, in.Field("label")),
			Goal: trimmed(c, in.Field("goal"))}
		if !r.blank() {
			f.Items = append(f.Items, r)
		}
	}
	return f
}

// namesRowBeyond reports whether the posted form names an item row whose
// index is rows or more, or is not a number at all.
func namesRowBeyond(c *fiber.Ctx, rows int) bool {
	beyond := false
	visit := func(key string) {
		rest, ok := strings.CutPrefix(key, "items[")
		if !ok {
			return
		}
		index, _, closed := strings.Cut(rest, "]")
		n, err := strconv.Atoi(index)
		if !closed || err != nil || n < 0 || n >= rows {
			beyond = true
		}
	}

	if form, err := c.MultipartForm(); err == nil {
		for key := range form.Value {
			visit(key)
		}
	} else {
		c.Request().PostArgs().VisitAll(func(key, _ []byte) { visit(string(key)) })
	}
	return beyond
}

// problems refuses a form with more item rows than an event may have,
// before the service is asked, so that nothing is saved.
func (f eventForm) problems() error {
	if !f.TooMany {
		return nil
	}
	var p app.Problems
	p.Add("items", "%s", app.TooManyItemsMessage)
	return p.Err()
}

// trimmed is a posted field without surrounding spaces.
func trimmed(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(c.FormValue(name))
}

// input turns the form into the service's EventInput; the service checks
// every value and names the field of each problem.
func (f eventForm) input() app.EventInput {
	in := app.EventInput{
		Title: f.Title, Description: f.Description, Date: f.Date,
		StartTime: f.StartTime, EndTime: f.EndTime, Venue: f.Venue, Postcode: f.Postcode,
		Goal: f.Goal, MinAmount: f.MinAmount, MaxAmount: f.MaxAmount,
	}
	for _, r := range f.Items {
		in.Items = append(in.Items, app.FundingItemInput{ID: r.ID, Kind: r.Kind,
			Label: r.Label, Goal: r.Goal})
	}
	return in
}

// eventFormOf fills the form from a stored event, for editing.
func eventFormOf(e *app.CivicEvent) eventForm {
	in := app.EventInputOf(e)
	f := eventForm{
		Title: in.Title, Description: in.Description, Date: in.Date,
		StartTime: in.StartTime, EndTime: in.EndTime, Venue: in.Venue, Postcode: in.Postcode,
		Goal: in.Goal, MinAmount: in.MinAmount, MaxAmount: in.MaxAmount,
	}
	for i, it := range in.Items {
		f.Items = append(f.Items, itemRow{Index: i, ID: it.ID, Kind: it.Kind, Label: it.Label,
			Goal: it.Goal})
	}
	return f
}

// withSpareRows adds empty item rows for new items.
func (f eventForm) withSpareRows() eventForm {
	rows := min(max(len(f.Items)+1, eventItemRows), maxItemRows)
	for i := len(f.Items); i < rows; i++ {
		f.Items = append(f.Items, itemRow{Index: i})
	}
	return f
}
