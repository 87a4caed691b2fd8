package app

import (
	"context"
	"fmt"
)

// FailedJobsPerPage is the length of one page of set-aside emails.
const FailedJobsPerPage = 25

// ListFailedJobs lists the emails the outbox set aside after repeated
// failure, newest first, one page at a time (page counts from 1), with
// how many there are. Only the county coordinator may see them.
func (s *Service) ListFailedJobs(ctx context.Context, a *Actor, page int) ([]*Job, int, error) {
	if a == nil {
		return nil, 0, Errorf(EUnauthorized, "Sign in to continue.")
	}
	if !a.IsCoordinator() {
		return nil, 0, Errorf(EForbidden, "Only the county coordinator's team can see failed emails.")
	}
	if page < 1 {
		page = 1
	}

	jobs, total, err := s.Store.ListJobs(ctx, JobFailed, (page-1)*FailedJobsPerPage, FailedJobsPerPage)
	if err != nil {
		return nil, 0, fmt.Errorf("list failed jobs: %w", err)
	}
	return jobs, total, nil
}
