package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// formErrors turns a failed form's error into what the templates read:
// "Errors" maps each field to its message (shown above the field) and
// "ErrorList" lists them for the error summary, which links to #field.
// An error that names no field is listed without a link.
func formErrors(err error) fiber.Map {
	list := app.FieldErrors(err)
	if len(list) == 0 {
		list = []app.FieldError{{Message: app.ErrorMessage(err)}}
	}

	byField := make(map[string]string, len(list))
	for _, f := range list {
		if _, seen := byField[f.Field]; !seen && f.Field != "" {
			byField[f.Field] = f.Message
		}
	}
	return fiber.Map{"Errors": byField, "ErrorList": list}
}

// formFailed answers a form POST that the service refused. Bad input
// (422) and conflicts (409) show the form again with its values, taken
// from data["Form"], and the errors; anything else is an error page.
func (s *Server) formFailed(c *fiber.Ctx, page string, data fiber.Map, err error) error {
	code := app.ErrorCode(err)
	if code != app.EInvalid && code != app.EConflict {
		return s.pageError(c, err)
	}
	s.logError(c, err)
	return s.showFormErrors(c, statusFor(code, c.Method()), page, data, err)
}

// formValues copies the named fields of the posted form, for showing the
// form again.
func formValues(c *fiber.Ctx, names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[n] = c.FormValue(n)
	}
	return m
}

// showFormErrors shows a form again with status, its values and the
// problems in err.
func (s *Server) showFormErrors(c *fiber.Ctx, status int, page string, data fiber.Map, err error) error {
	for k, v := range formErrors(err) {
		data[k] = v
	}
	return s.render(c, status, page, data)
}
