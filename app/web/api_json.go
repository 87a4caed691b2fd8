package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// errUnsupportedJSON is the answer to a body that does not say it is JSON;
// apiBodyError sends it with status 415.
var errUnsupportedJSON = app.Errorf(app.EInvalid,
	"Send the request body as JSON, with the header Content-Type: application/json.")

// decodeJSONBody reads the request body strictly into dst: the body must be
// declared as application/json, hold exactly one JSON object, and use only
// the fields dst knows, each with the right type. Every mistake comes back
// as an EInvalid *app.Error with a plain message naming the field.
func decodeJSONBody(c *fiber.Ctx, dst any) error {
	if !isJSONContent(c.Get(fiber.HeaderContentType)) {
		return errUnsupportedJSON
	}

	// The decoder would quietly turn bytes that are not UTF-8 into U+FFFD
	// and store the damage; refuse them instead.
	if !utf8.Valid(c.Body()) {
		return app.Errorf(app.EInvalid, "The request body is not valid UTF-8 text.")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err, reflect.TypeOf(dst))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return app.Errorf(app.EInvalid, "The request body must hold one JSON object and nothing after it.")
	}
	return nil
}

// apiBodyError answers a body that could not be decoded: 415 when it was
// not declared as JSON, 400 otherwise, in the shape apiError uses.
func (s *Server) apiBodyError(c *fiber.Ctx, err error) error {
	status := fiber.StatusBadRequest
	if errors.Is(err, errUnsupportedJSON) {
		status = fiber.StatusUnsupportedMediaType
	}
	body := apiErrorBody{Code: app.EInvalid, Message: app.ErrorMessage(err), Fields: app.FieldErrors(err)}
	return c.Status(status).JSON(fiber.Map{"error": body})
}

// isJSONContent reports whether a Content-Type header names JSON.
func isJSONContent(header string) bool {
	mediaType, _, err := mime.ParseMediaType(header)
	return err == nil && mediaType == fiber.MIMEApplicationJSON
}

// jsonProblem turns an encoding/json error from decoding into a value of
// type dst into a message for people.
func jsonProblem(err error, dst reflect.Type) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return app.Errorf(app.EInvalid, "The request body is empty: send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return app.Errorf(app.EInvalid, "The request body is not valid JSON: it ends too early.")
	case errors.As(err, &syntax):
		return app.Errorf(app.EInvalid,
			"The request body is not valid JSON (problem at character %d).", syntax.Offset)
	case errors.As(err, &typeErr):
		return typeProblem(typeErr, dst)
	}

	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		field := strings.Trim(name, `"`)
		return fieldProblem(field, fmt.Sprintf("%s is not a field we know. Remove it and try again.", field))
	}
	return app.Errorf(app.EInvalid, "The request body could not be read as JSON.")
}

// typeProblem names the field whose value had the wrong JSON type and what
// it should have been. A bad item of a list is reported as the list's.
func typeProblem(e *json.UnmarshalTypeError, dst reflect.Type) error {
	field := e.Field
	if field == "" {
		return app.Errorf(app.EInvalid, "The request body must be a JSON object.")
	}
	want := e.Type
	if t := jsonFieldType(dst, field); t != nil {
		want = t
	}

	return fieldProblem(field, fmt.Sprintf("The field %q must be %s.", field, jsonKind(want)))
}

// jsonFieldType finds the Go type of a dotted JSON field path ("sessions.start")
// in t, looking through pointers and lists; nil when it cannot be found.
func jsonFieldType(t reflect.Type, path string) reflect.Type {
	for _, name := range strings.Split(path, ".") {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		f, ok := jsonField(t, name)
		if !ok {
			return nil
		}
		t = f.Type
	}
	return t
}

// jsonField finds the struct field that JSON calls name.
func jsonField(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == name || (tag == "" && strings.EqualFold(f.Name, name)) {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// fieldProblem is an EInvalid error about one field.
func fieldProblem(field, message string) error {
	return &app.Error{Code: app.EInvalid, Message: message,
		Fields: []app.FieldError{{Field: field, Message: message}}}
}

// jsonKind describes a Go type as the JSON value it expects.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list of " + jsonPlural(t.Elem())
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "an object"
}

// jsonPlural names a list's elements: "strings", "whole numbers", "objects".
func jsonPlural(t reflect.Type) string {
	switch kind := jsonKind(t); kind {
	case "an object":
		return "objects"
	case "true or false":
		return "true or false values"
	default:
		return strings.TrimPrefix(kind, "a ") + "s"
	}
}
