package inventory

import (
	"context"
	"sort"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// clusterRun reads one cluster. Its instance, task and service list
// chains run side by side; every page is described as soon as it arrives.
type clusterRun struct {
	*fleetRun
	cl *Cluster

	mu           sync.Mutex
	windows      map[string]bool // container-instance ARNs of Windows hosts
	windowsKnown bool
	pending      []*Task // described before the Windows hosts were all known
}

func (r *fleetRun) collectCluster(ctx context.Context, cl *Cluster) {
	cr := &clusterRun{fleetRun: r, cl: cl, windows: map[string]bool{}}
	var chains sync.WaitGroup
	chains.Add(3)
	go func() {
		defer chains.Done()
		cr.listInstances(ctx)
		cr.mu.Lock()
		cr.windowsKnown = true
		ready := cr.keepWindowsTasks(cr.pending)
		cr.pending = nil
		cr.mu.Unlock()
		cr.needTaskDefinitions(ctx, ready)
	}()
	go func() {
		defer chains.Done()
		cr.listTasks(ctx)
	}()
	go func() {
		defer chains.Done()
		cr.listServices(ctx)
	}()
	chains.Wait()
	cr.needServiceTaskDefinitions(ctx)
	sort.Slice(cl.Services, func(i, j int) bool { return cl.Services[i].ARN < cl.Services[j].ARN })
	sort.Slice(cl.Hosts, func(i, j int) bool { return cl.Hosts[i].ContainerInstanceARN < cl.Hosts[j].ContainerInstanceARN })
	sort.Slice(cl.Tasks, func(i, j int) bool { return cl.Tasks[i].ID < cl.Tasks[j].ID })
}

func (cr *clusterRun) fail(reason, message string, n int) {
	cr.mu.Lock()
	cr.cl.Failed = true
	cr.mu.Unlock()
	cr.addProblem(cr.cl.Name, reason, message, n)
}

// failCall is fail for a failed AWS call, with its cause.
func (cr *clusterRun) failCall(reason, message string, err error, n int) {
	cr.mu.Lock()
	cr.cl.Failed = true
	cr.mu.Unlock()
	cr.addFailure(cr.cl.Name, reason, message, err, n)
}

// listInstances pages through the cluster's Windows instances and
// describes each page while the next one is listed, then asks SSM about
// the page's hosts (beside the other describes, so the instance describes,
// whose answers are the largest, hold their few slots only while they
// read). It returns when every page has been described.
func (cr *clusterRun) listInstances(ctx context.Context) {
	var described sync.WaitGroup
	defer described.Wait()
	pages := ecs.NewListContainerInstancesPaginator(cr.c.ECS, &ecs.ListContainerInstancesInput{
		Cluster:    aws.String(cr.cl.ARN),
		Filter:     aws.String(windowsFilter),
		MaxResults: aws.Int32(ECSPageSize),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			cr.failCall(ReasonInstancesUnreadable, "listing container instances failed, so the cluster's hosts may be incomplete", err, 1)
			return
		}
		if len(page.ContainerInstanceArns) == 0 {
			continue
		}
		arns := page.ContainerInstanceArns
		described.Add(1)
		cr.hostWork.Go(func() {
			hosts := cr.describeInstances(ctx, arns)
			cr.work.Go(func() {
				defer described.Done()
				cr.readSSMPing(ctx, hosts)
				cr.addHosts(hosts)
			})
		})
	}
}

// addHosts adds described hosts, SSM reachability read, to the cluster.
func (cr *clusterRun) addHosts(hosts []*Host) {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	for _, h := range hosts {
		cr.windows[h.ContainerInstanceARN] = true
		cr.cl.Hosts = append(cr.cl.Hosts, h)
	}
}

// describeInstances reads one page of container instances, as the hosts
// the rules judge.
func (cr *clusterRun) describeInstances(ctx context.Context, arns []string) []*Host {
	resp, err := cr.c.ECS.DescribeContainerInstances(ctx, &ecs.DescribeContainerInstancesInput{
		Cluster:            aws.String(cr.cl.ARN),
		ContainerInstances: arns,
	})
	if err != nil {
		cr.failCall(ReasonInstancesUnreadable, "describing container instances failed, so those hosts are missing from this pass", err, len(arns))
		return nil
	}
	if n := len(resp.Failures); n > 0 {
		cr.fail(ReasonDescribeFailure, "ECS could not describe some container instances: "+failureReason(resp.Failures), n)
	}
	hosts := make([]*Host, 0, len(resp.ContainerInstances))
	for i := range resp.ContainerInstances {
		h := convertInstance(cr.cl.Name, &resp.ContainerInstances[i], cr.strs)
		if h == nil {
			continue
		}
		if h.Problem == ReasonMissingInstanceID {
			cr.addProblem(cr.cl.Name, ReasonMissingInstanceID, "ECS gave no EC2 instance ID for some container instances: SSM cannot reach them", 1)
		}
		hosts = append(hosts, h)
	}
	return hosts
}

func failureReason(fs []ecstypes.Failure) string {
	f := fs[0]
	return aws.ToString(f.Reason) + " " + aws.ToString(f.Detail)
}

// convertInstance keeps what the rules read, or nil when the answer has
// no ARN to name the instance by (or is not Windows after all).
func convertInstance(cluster string, ci *ecstypes.ContainerInstance, strs *interner) *Host {
	if ci.ContainerInstanceArn == nil {
		return nil
	}
	h := &Host{
		Cluster:              cluster,
		ContainerInstanceARN: strs.keep(*ci.ContainerInstanceArn), // every task on it names it too
		InstanceID:           own(aws.ToString(ci.Ec2InstanceId)),
		Status:               strs.keep(aws.ToString(ci.Status)),
		AgentConnected:       ci.AgentConnected,
		SSM:                  SSMUnknown,
	}
	osType := ""
	for _, a := range ci.Attributes {
		switch aws.ToString(a.Name) {
		case "ecs.os-type":
			osType = aws.ToString(a.Value)
		case "ecs.os-family":
			h.OSFamily = strs.keep(aws.ToString(a.Value))
		case "com.amazonaws.ecs.capability.task-iam-role":
			h.TaskRoleEnabled = true
		case "ecs.capability.task-eni":
			h.TaskENIEnabled = true
		case ReadyAttribute:
			h.CredentialsReady = aws.ToString(a.Value) == ReadyValue
		}
	}
	if osType != "" && osType != "windows" {
		return nil
	}
	if h.OSFamily == "" {
		h.OSFamily = "WINDOWS"
	}
	for _, res := range ci.RegisteredResources {
		if aws.ToString(res.Name) != "PORTS" {
			continue
		}
		for _, p := range res.StringSetValue {
			if p == "80" {
				h.Port80Reserved = true
			}
		}
	}
	if h.InstanceID == "" {
		h.Problem = ReasonMissingInstanceID
	}
	return h
}
