package inventory

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// ECSServiceBatch is how many services one DescribeServices takes.
const ECSServiceBatch = 10

// listServices pages through the cluster's services and describes each
// page, ten at a time, while the next page is listed. A service whose
// tasks cannot place has no running task to find it by, so this is the
// only way its task definition comes to light. Failures mark the
// cluster's services incomplete, not the cluster: hosts and tasks stay.
func (cr *clusterRun) listServices(ctx context.Context) {
	var described sync.WaitGroup
	defer described.Wait()
	pages := ecs.NewListServicesPaginator(cr.c.ECS, &ecs.ListServicesInput{
		Cluster:    aws.String(cr.cl.ARN),
		MaxResults: aws.Int32(ECSPageSize),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			cr.servicesUnreadable("listing services failed, so task definitions of services whose tasks never place may be missed", err, 1)
			return
		}
		arns := page.ServiceArns
		for start := 0; start < len(arns); start += ECSServiceBatch {
			batch := arns[start:min(start+ECSServiceBatch, len(arns)):min(start+ECSServiceBatch, len(arns))]
			described.Add(1)
			cr.work.Go(func() {
				defer described.Done()
				cr.describeServices(ctx, batch)
			})
		}
	}
}

func (cr *clusterRun) describeServices(ctx context.Context, arns []string) {
	resp, err := cr.c.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cr.cl.ARN), Services: arns})
	if err != nil {
		cr.servicesUnreadable("describing services failed, so those services are missing from this pass", err, len(arns))
		return
	}
	if n := len(resp.Failures); n > 0 {
		cr.servicesIncomplete("ECS could not describe some services: "+failureReason(resp.Failures), n)
	}
	services := make([]*Service, 0, len(resp.Services))
	skipped := 0
	for i := range resp.Services {
		if status := aws.ToString(resp.Services[i].Status); status == "INACTIVE" || status == "DRAINING" {
			continue // being deleted: it places no more tasks
		}
		s := convertService(&resp.Services[i], cr.strs)
		if s == nil {
			skipped++
			continue
		}
		services = append(services, s)
	}
	if skipped > 0 {
		cr.servicesIncomplete("ECS described some services without an ARN or task definition; they were skipped", skipped)
	}
	cr.mu.Lock()
	cr.cl.Services = append(cr.cl.Services, services...)
	cr.mu.Unlock()
}

// convertService keeps what the rules read; nil when the answer lacks the
// ARN or the task definition.
func convertService(s *ecstypes.Service, strs *interner) *Service {
	if s.ServiceArn == nil || s.TaskDefinition == nil {
		return nil
	}
	out := &Service{
		Name:              own(aws.ToString(s.ServiceName)),
		ARN:               own(*s.ServiceArn),
		TaskDefinitionARN: strs.keep(*s.TaskDefinition),
		DesiredCount:      s.DesiredCount,
		RunningCount:      s.RunningCount,
		PendingCount:      s.PendingCount,
	}
	if out.Name == "" {
		out.Name = shortName(out.ARN)
	}
	return out
}

// servicesUnreadable is servicesIncomplete for a failed AWS call, with
// its cause.
func (cr *clusterRun) servicesUnreadable(message string, err error, n int) {
	cr.mu.Lock()
	cr.cl.ServicesIncomplete = true
	cr.mu.Unlock()
	cr.addFailure(cr.cl.Name, ReasonServicesUnreadable, message, err, n)
}

func (cr *clusterRun) servicesIncomplete(message string, n int) {
	cr.mu.Lock()
	cr.cl.ServicesIncomplete = true
	cr.mu.Unlock()
	cr.addProblem(cr.cl.Name, ReasonServicesUnreadable, message, n)
}

// needServiceTaskDefinitions keeps the services that may run on Windows
// hosts and fetches their task definitions, once hosts and tasks are
// known, and only where some Windows host has task roles on: elsewhere
// host port 80 conflicts with nothing. A service whose tasks run, none of
// its family on a Windows host, runs elsewhere (Linux in a mixed
// cluster) and is dropped; one with no running task may be Windows and is
// kept.
func (cr *clusterRun) needServiceTaskDefinitions(ctx context.Context) {
	roleCluster := false
	for _, h := range cr.cl.Hosts {
		roleCluster = roleCluster || h.TaskRoleEnabled
	}
	onWindows := make(map[string]bool, 8)
	for _, t := range cr.cl.Tasks {
		fam, _ := familyFromARN(t.TaskDefinitionARN)
		onWindows[fam] = true
	}
	kept := cr.cl.Services[:0]
	arns := make([]string, 0, len(cr.cl.Services))
	for _, s := range cr.cl.Services {
		if fam, _ := familyFromARN(s.TaskDefinitionARN); s.RunningCount > 0 && !onWindows[fam] {
			continue
		}
		kept = append(kept, s)
		arns = append(arns, s.TaskDefinitionARN)
	}
	cr.cl.Services = kept
	if roleCluster {
		cr.needTaskDefinitionARNs(ctx, arns)
	}
}
