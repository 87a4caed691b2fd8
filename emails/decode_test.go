package emails

import (
	"encoding/base64"
	"io"
	"mime/multipart"
	"mime/quotedprintable"
	"strings"
)

func decodePart(p *multipart.Part) io.Reader {
	return decodeBody(p.Header.Get("Content-Transfer-Encoding"), p)
}

// decodeBody undoes a Content-Transfer-Encoding.
func decodeBody(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(encoding) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r)
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}
