package ecsapi

import (
	"strings"

	"github.com/ecswin/ecswin/internal/fleetsim/fleet"
	"github.com/ecswin/ecswin/internal/fleetsim/wire"
)

const targetContainerInstance = "container-instance"

// attrsPerInstance bounds the attributes of one instance, so a page
// position can address (instance, attribute) as one number.
const attrsPerInstance = 64

func (a *API) listAttributes(in *listAttributesInput) (any, error) {
	if in.AttributeValue != "" && in.AttributeName == "" {
		return nil, invalidParameter("attributeName must be given with attributeValue.")
	}
	c, size, err := a.listCluster(in.Cluster, in.MaxResults, defaultPageSize)
	if err != nil {
		return nil, err
	}
	scope := "attrs|" + c.Name + "|" + in.AttributeName + "|" + in.AttributeValue
	pos, err := startAt(in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	insts := c.Instances
	var current *fleet.Instance
	var currentAttrs []fleet.Attribute
	// A position addresses (instance, attribute); with the name fixed,
	// one position per instance is enough.
	stride := attrsPerInstance
	if in.AttributeName != "" {
		stride = 1
	}
	attrs, next := wire.Page(pos, len(insts)*stride, size, func(p int) (attributeJSON, bool) {
		inst := insts[p/stride]
		if inst.Status == fleet.StatusInactive {
			return attributeJSON{}, false
		}
		if in.AttributeName != "" {
			v, ok := inst.Attr(in.AttributeName)
			if !ok || (in.AttributeValue != "" && v != in.AttributeValue) {
				return attributeJSON{}, false
			}
			return attributeJSON{Name: in.AttributeName, Value: v, TargetType: targetContainerInstance, TargetID: inst.ARN()}, true
		}
		if inst != current {
			current, currentAttrs = inst, currentAttrs[:0]
			inst.Attributes(func(at fleet.Attribute) bool { currentAttrs = append(currentAttrs, at); return true })
		}
		k := p % stride
		if k >= len(currentAttrs) {
			return attributeJSON{}, false
		}
		at := currentAttrs[k]
		return attributeJSON{Name: at.Name, Value: at.Value, TargetType: targetContainerInstance, TargetID: inst.ARN()}, true
	})
	return listAttributesOutput{Attributes: attrs, NextToken: token(next, scope)}, nil
}

// targets resolves and validates every attribute of a Put/Delete call
// before any is applied, so a bad call changes nothing. (How many
// attributes, and what names and values look like, the model's
// documented limits have checked already.)
func (a *API) targets(in *attributesInput) ([]*fleet.Instance, error) {
	c, err := a.cluster(in.Cluster)
	if err != nil {
		return nil, err
	}
	insts := make([]*fleet.Instance, len(in.Attributes))
	for k, at := range in.Attributes {
		if fleet.IsBuiltinAttribute(at.Name) {
			return nil, invalidParameter("Attributes with the prefix ecs. or com.amazonaws.ecs. are reserved: %s", at.Name)
		}
		if at.TargetID == "" {
			return nil, invalidParameter("targetId is required.")
		}
		// "targetType is required if you use the short form ID."
		if !strings.HasPrefix(at.TargetID, "arn:") && at.TargetType == "" {
			return nil, invalidParameter("targetType is required when targetId %s is not an ARN.", at.TargetID)
		}
		id, ok, err := a.member(c, "targetId", at.TargetID, kindContainerInstance)
		if err != nil {
			return nil, err
		}
		insts[k] = c.Instance(id)
		if !ok || insts[k] == nil || insts[k].Status == fleet.StatusInactive {
			return nil, wire.ClientErr(CodeTargetNotFound, "Could not find %s.", at.TargetID)
		}
	}
	return insts, nil
}

func (a *API) putAttributes(in *attributesInput) (any, error) {
	insts, err := a.targets(in)
	if err != nil {
		return nil, err
	}
	for k, at := range in.Attributes {
		if _, has := insts[k].Attr(at.Name); !has && len(insts[k].Custom) >= fleet.MaxCustomAttributes {
			return nil, wire.ClientErr(CodeAttributeLimit, "You can apply up to %d custom attributes per resource.", fleet.MaxCustomAttributes)
		}
	}
	out := attributesOutput{Attributes: make([]attributeJSON, 0, len(in.Attributes))}
	for k, at := range in.Attributes {
		insts[k].PutAttribute(fleet.Attribute{Name: at.Name, Value: at.Value})
		out.Attributes = append(out.Attributes, echo(at, insts[k]))
	}
	return out, nil
}

func (a *API) deleteAttributes(in *attributesInput) (any, error) {
	insts, err := a.targets(in)
	if err != nil {
		return nil, err
	}
	out := attributesOutput{Attributes: make([]attributeJSON, 0, len(in.Attributes))}
	for k, at := range in.Attributes {
		insts[k].DeleteAttribute(at.Name)
		out.Attributes = append(out.Attributes, echo(at, insts[k]))
	}
	return out, nil
}

func echo(at attributeJSON, inst *fleet.Instance) attributeJSON {
	return attributeJSON{Name: at.Name, Value: at.Value, TargetType: targetContainerInstance, TargetID: inst.ARN()}
}
