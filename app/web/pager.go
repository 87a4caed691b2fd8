package web

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// Pager describes one page of a long list, for the "pagination" partial.
type Pager struct {
	Page, PerPage, Total, Pages int
	PrevURL, NextURL            string
	Items                       []PagerItem
}

// PagerItem is one link in the pagination: a page number, or an ellipsis
// standing for the pages left out.
type PagerItem struct {
	Number   int
	URL      string
	Current  bool
	Ellipsis bool
}

// pageParam reads ?page=, 1 when missing or not a positive number.
func pageParam(c *fiber.Ctx) int {
	n, err := strconv.Atoi(c.Query("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// newPager builds the pagination for the current URL: its links keep every
// query parameter and change only page. It shows the first and last pages
// and those next to the current one.
func newPager(c *fiber.Ctx, page, perPage, total int) Pager {
	if perPage < 1 {
		perPage = 1
	}
	p := Pager{Page: page, PerPage: perPage, Total: total, Pages: (total + perPage - 1) / perPage}
	link := pageLinker(c)
	if page > 1 {
		p.PrevURL = link(page - 1)
	}
	if page < p.Pages {
		p.NextURL = link(page + 1)
	}

	for n := 1; n <= p.Pages; n++ {
		switch {
		case n == 1 || n == p.Pages || (n >= page-1 && n <= page+1):
			p.Items = append(p.Items, PagerItem{Number: n, URL: link(n), Current: n == page})
		case len(p.Items) > 0 && !p.Items[len(p.Items)-1].Ellipsis:
			p.Items = append(p.Items, PagerItem{Ellipsis: true})
		}
	}
	return p
}

func pageLinker(c *fiber.Ctx) func(int) string {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	path := c.Path()
	return func(n int) string {
		q.Set("page", strconv.Itoa(n))
		return path + "?" + q.Encode()
	}
}
