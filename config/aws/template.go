// Package awstemplate holds ecswin's AWS side as code: the CloudFormation
// template of a policy's event queue (ecswin-events.yaml: the queue, its
// policy and the EventBridge rules), and what the simulator and the tests
// read from it, so that the rules the simulator runs and the queue it
// makes are the template's own.
package awstemplate

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"sigs.k8s.io/yaml"
)

//go:embed ecswin-events.yaml
var template []byte

// Template is the CloudFormation template (YAML, long-form intrinsics).
func Template() []byte { return template }

// Parameters are the template's parameters.
type Parameters struct {
	QueueName      string
	ClusterARNs    []string
	DocumentPrefix string
}

// Rule is an EventBridge rule of the template, its pattern resolved.
type Rule struct {
	// Name is the rule's logical ID (TaskStarted, ...).
	Name string
	// Pattern is its event pattern (JSON) with the parameters in place.
	Pattern []byte
}

type document struct {
	Parameters map[string]struct {
		Default *string `json:"Default"`
	} `json:"Parameters"`
	Resources map[string]struct {
		Type       string         `json:"Type"`
		Properties map[string]any `json:"Properties"`
	} `json:"Resources"`
}

func parse() (*document, error) {
	raw, err := yaml.YAMLToJSON(template)
	if err != nil {
		return nil, fmt.Errorf("config/aws template: %w", err)
	}
	var d document
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("config/aws template: %w", err)
	}
	return &d, nil
}

// values are the parameters as Ref resolves them, defaults filled in.
func (d *document) values(p Parameters) map[string]any {
	def := func(name, v string) string {
		if v == "" && d.Parameters[name].Default != nil {
			return *d.Parameters[name].Default
		}
		return v
	}
	arns := make([]any, len(p.ClusterARNs))
	for i, a := range p.ClusterARNs {
		arns[i] = a
	}
	return map[string]any{
		"QueueName":      def("QueueName", p.QueueName),
		"ClusterArns":    arns,
		"DocumentPrefix": def("DocumentPrefix", p.DocumentPrefix),
	}
}

// resolve replaces every {"Ref": parameter} in v.
func resolve(v any, params map[string]any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok && len(x) == 1 {
			val, ok := params[ref]
			if !ok {
				return nil, fmt.Errorf("the Ref of %s names no parameter", ref)
			}
			return val, nil
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			r, err := resolve(e, params)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := resolve(e, params)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	}
	return v, nil
}

// Rules are the template's EventBridge rules for p, by name.
func Rules(p Parameters) ([]Rule, error) {
	d, err := parse()
	if err != nil {
		return nil, err
	}
	if len(p.ClusterARNs) == 0 {
		return nil, fmt.Errorf("config/aws template: ClusterArns is required")
	}
	var out []Rule
	for name, r := range d.Resources {
		if r.Type != "AWS::Events::Rule" {
			continue
		}
		pattern, err := resolve(r.Properties["EventPattern"], d.values(p))
		if err != nil {
			return nil, fmt.Errorf("config/aws template: rule %s: %w", name, err)
		}
		raw, err := json.Marshal(pattern)
		if err != nil {
			return nil, fmt.Errorf("config/aws template: rule %s: %w", name, err)
		}
		out = append(out, Rule{Name: name, Pattern: raw})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Queue is the queue the template makes: its name and its attributes as
// SQS names them (strings).
func Queue(p Parameters) (name string, attributes map[string]string, err error) {
	d, err := parse()
	if err != nil {
		return "", nil, err
	}
	for _, r := range d.Resources {
		if r.Type != "AWS::SQS::Queue" {
			continue
		}
		attributes = map[string]string{}
		for k, v := range r.Properties {
			switch x := v.(type) {
			case float64:
				attributes[k] = strconv.FormatFloat(x, 'f', -1, 64)
			case bool:
				attributes[k] = strconv.FormatBool(x)
			case string:
				attributes[k] = x
			}
		}
		return d.values(p)["QueueName"].(string), attributes, nil
	}
	return "", nil, fmt.Errorf("config/aws template: no AWS::SQS::Queue")
}

// Target is where Deploy makes the template's resources: the fleet
// simulator (fleetsim.Sim), or anything that creates queues and rules.
type Target interface {
	CreateQueue(name string, attributes map[string]string) (queueURL string, err error)
	PutRule(name string, pattern []byte, queue string) error
}

// Deploy makes what the template makes, for p, in t: the queue with the
// template's attributes and the rules that feed it. It returns the
// queue's URL (the template's QueueUrl output).
func Deploy(t Target, p Parameters) (string, error) {
	name, attrs, err := Queue(p)
	if err != nil {
		return "", err
	}
	url, err := t.CreateQueue(name, attrs)
	if err != nil {
		return "", fmt.Errorf("creating the event queue: %w", err)
	}
	rules, err := Rules(p)
	if err != nil {
		return "", err
	}
	for _, r := range rules {
		if err := t.PutRule(r.Name, r.Pattern, name); err != nil {
			return "", fmt.Errorf("creating the event rule %s: %w", r.Name, err)
		}
	}
	return url, nil
}
