package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/encounters/encounters/app"
)

// failedJobRow is an email the outbox set aside, in words. The
// recipient's address is left out: the kind and the job's id say enough
// to find the record it was about.
type failedJobRow struct {
	ID        string
	Kind      string
	Attempts  int
	LastError string
	Created   string
}

// showOutbox answers GET /coordinator/outbox: the emails set aside after
// repeated failure, newest first, with the reason each last failed.
func (s *Server) showOutbox(c *fiber.Ctx) error {
	page := pageParam(c)
	ctx, cancel := s.ctx(c)
	defer cancel()

	jobs, total, err := s.svc.ListFailedJobs(ctx, actor(c), page)
	if err != nil {
		return s.pageError(c, err)
	}
	rows := make([]failedJobRow, 0, len(jobs))
	for _, j := range jobs {
		rows = append(rows, failedJobRow{ID: j.ID, Kind: j.Message.Kind, Attempts: j.Attempts,
			LastError: j.LastError, Created: formatDateTime(j.CreatedAt)})
	}

	return s.render(c, fiber.StatusOK, "coordinator/outbox", fiber.Map{
		"Title": "Emails that could not be sent", "Jobs": rows, "Total": total,
		"Pager": newPager(c, page, app.FailedJobsPerPage, total),
	})
}
