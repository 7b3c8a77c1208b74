package inventory

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/ecswin/ecswin/internal/awsapi"
	"github.com/ecswin/ecswin/internal/bounded"
)

// Page and batch sizes AWS allows.
const (
	ECSPageSize      = 100
	ECSDescribeBatch = 100
	SSMInfoBatch     = 50
	// windowsFilter is the cluster query that keeps only Windows
	// instances, evaluated by ECS so Linux instances cost nothing.
	windowsFilter = "attribute:ecs.os-type == windows"
	// clusterParallelism bounds the clusters whose list chains run at once.
	clusterParallelism = 8
	// instanceShare: an eighth of the parallelism goes to instance
	// describes. Their answers are the largest of a pass (a page of 100
	// instances, with attributes and resources, is about 200 kB, and the
	// SDK holds it two or three times over while it decodes), and every
	// pass reads all of them, where tasks are cached: at 16 at once they
	// alone would hold some 10 MB of a 10,000-host pass's heap. A quarter
	// still keeps them off the critical path, the task listing.
	instanceShare = 8
)

// Collector reads a fleet. It holds no per-pass state; TaskDefs is shared
// across passes and policies.
type Collector struct {
	ECS      awsapi.ECSAPI
	SSM      awsapi.SSMAPI
	TaskDefs *TaskDefinitionCache
	// Tasks remembers one policy's running tasks between passes; nil
	// describes every task every pass.
	Tasks *TaskCache
	// Parallelism bounds the describe calls in flight at once.
	Parallelism int
}

// Collect reads the given clusters (names or ARNs). Parts that cannot be
// read become Problems and mark their cluster Failed; the rest is kept.
// The error is non-nil only when ctx ends.
func (c *Collector) Collect(ctx context.Context, clusters []string) (*Fleet, error) {
	par := c.Parallelism
	if par <= 0 {
		par = 16
	}
	run := &fleetRun{c: c, fleet: &Fleet{TaskDefinitions: map[string]*TaskDefinition{}}, needed: map[string]bool{},
		work: newLimiter(par), hostWork: newLimiter(max(1, par/instanceShare)), tdWork: newLimiter(par), strs: newInterner()}

	found := run.describeClusters(ctx, clusters)
	readable := make([]*Cluster, 0, len(found))
	for _, cl := range found {
		if cl.ARN != "" {
			readable = append(readable, cl)
		}
	}
	// A cluster's failures are its Problems, not errors: Map's is nil.
	_, _ = bounded.Map(ctx, clusterParallelism, readable, func(ctx context.Context, cl *Cluster) (struct{}, error) {
		run.collectCluster(ctx, cl)
		return struct{}{}, nil
	})
	run.hostWork.Wait()
	run.work.Wait()
	run.tdWork.Wait()
	run.resolveTaskDefinitions()
	run.fleet.Clusters = found
	c.Tasks.finish(tasksComplete(run.fleet))
	sortProblems(run.fleet.Problems)
	if err := ctx.Err(); err != nil {
		return run.fleet, fmt.Errorf("collecting inventory: %w", err)
	}
	return run.fleet, nil
}

// fleetRun is the state of one Collect.
type fleetRun struct {
	c     *Collector
	fleet *Fleet
	// work bounds the describe calls of tasks and services in flight;
	// hostWork those of instances (each with the SSM reachability of its
	// hosts); tdWork the task-definition fetches, which a describe may
	// start.
	work, hostWork, tdWork *limiter
	// strs keeps the strings the fleet holds out of the SDK's answers.
	strs *interner

	mu     sync.Mutex
	needed map[string]bool
}

func (r *fleetRun) addProblem(cluster, reason, message string, n int) {
	r.add(Problem{Cluster: cluster, Reason: reason, Message: message, Count: n})
}

// addFailure records the problem a failed AWS call left: message says
// what the pass misses, the call's cause why (and what to do).
func (r *fleetRun) addFailure(cluster, reason, message string, err error, n int) {
	c := awsapi.Explain(err)
	r.add(Problem{Cluster: cluster, Reason: reason, Message: message + ": " + c.String(), Count: n, Cause: c})
}

func (r *fleetRun) add(pr Problem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range r.fleet.Problems {
		p := &r.fleet.Problems[i]
		if p.Cluster == pr.Cluster && p.Reason == pr.Reason {
			p.Count += pr.Count
			return
		}
	}
	r.fleet.Problems = append(r.fleet.Problems, pr)
}

// describeClusters resolves names and ARNs in batches of 100 and reads the
// count of registered instances of every OS. A cluster named twice (by
// name and by ARN, which the CRD refuses but an old stored object may
// hold) is kept once, so no cluster is collected twice.
func (r *fleetRun) describeClusters(ctx context.Context, names []string) []*Cluster {
	out := make([]*Cluster, 0, len(names))
	seen := map[string]bool{}
	for start := 0; start < len(names); start += ECSDescribeBatch {
		batch := names[start:min(start+ECSDescribeBatch, len(names))]
		resp, err := r.c.ECS.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: batch})
		if err != nil {
			for _, n := range batch {
				out = append(out, &Cluster{Name: shortName(n), Failed: true})
				r.addFailure(shortName(n), ReasonClusterUnreadable, "describing the cluster failed", err, 1)
			}
			continue
		}
		byKey := map[string]*Cluster{}
		for _, dc := range resp.Clusters {
			if dc.ClusterArn == nil || aws.ToString(dc.Status) == "INACTIVE" {
				continue
			}
			cl := &Cluster{ARN: own(*dc.ClusterArn), Name: own(aws.ToString(dc.ClusterName)), RegisteredInstances: int(dc.RegisteredContainerInstancesCount)}
			if cl.Name == "" {
				cl.Name = shortName(cl.ARN)
			}
			byKey[cl.ARN], byKey[cl.Name] = cl, cl
		}
		for _, n := range batch {
			if cl, ok := byKey[n]; ok {
				if !seen[cl.ARN] {
					seen[cl.ARN] = true
					out = append(out, cl)
				}
				continue
			}
			out = append(out, &Cluster{Name: shortName(n), Failed: true})
			r.addProblem(shortName(n), ReasonClusterNotFound,
				"cluster not found (or inactive) in the policy's region: fix spec.clusters or spec.aws.region", 1)
		}
	}
	return out
}

// shortName turns a cluster ARN into its name; names stay as they are.
func shortName(s string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '/' {
			return s[i+1:]
		}
	}
	return s
}

func sortProblems(ps []Problem) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Cluster != ps[j].Cluster {
			return ps[i].Cluster < ps[j].Cluster
		}
		return ps[i].Reason < ps[j].Reason
	})
}

// tasksComplete reports whether every cluster's tasks were listed whole.
func tasksComplete(f *Fleet) bool {
	for _, p := range f.Problems {
		switch p.Reason {
		case ReasonTasksUnreadable, ReasonDescribeFailure, ReasonClusterUnreadable, ReasonMissingTaskFields:
			return false
		}
	}
	return true
}
