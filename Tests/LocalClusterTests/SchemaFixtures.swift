import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

/// The reference CRD as kubectl POSTed it (02-crd-apply-wait/005, annotations dropped).
let gadgetCRDJSON = #"""
{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "gadgets.reference.example.com"}, "spec": {"group": "reference.example.com", "names": {"categories": ["reference"], "kind": "Gadget", "listKind": "GadgetList", "plural": "gadgets", "shortNames": ["gd"], "singular": "gadget"}, "scope": "Namespaced", "versions": [{"additionalPrinterColumns": [{"description": "Requested size", "jsonPath": ".spec.size", "name": "Size", "type": "integer"}, {"description": "Observed phase (shown only with -o wide)", "jsonPath": ".status.phase", "name": "Phase", "priority": 1, "type": "string"}], "name": "v1", "schema": {"openAPIV3Schema": {"description": "Gadget is a reference custom resource.", "properties": {"spec": {"properties": {"extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}, "mode": {"default": "Safe", "enum": ["Safe", "Fast"], "type": "string"}, "port": {"description": "Port number or name.", "x-kubernetes-int-or-string": true}, "serial": {"pattern": "^[A-Z]{2}-[0-9]{4}$", "type": "string"}, "settings": {"additionalProperties": {"type": "string"}, "description": "Free-form string map (additionalProperties).", "type": "object"}, "size": {"description": "Required integer between 1 and 10.", "maximum": 10, "minimum": 1, "type": "integer"}}, "required": ["size"], "type": "object"}, "status": {"properties": {"conditions": {"items": {"properties": {"lastTransitionTime": {"format": "date-time", "type": "string"}, "message": {"type": "string"}, "reason": {"type": "string"}, "status": {"enum": ["True", "False", "Unknown"], "type": "string"}, "type": {"type": "string"}}, "required": ["type", "status"], "type": "object"}, "type": "array", "x-kubernetes-list-map-keys": ["type"], "x-kubernetes-list-type": "map"}, "observedGeneration": {"format": "int64", "type": "integer"}, "phase": {"type": "string"}}, "type": "object"}}, "type": "object"}}, "served": true, "storage": true, "subresources": {"status": {}}}]}}
"""#

let gadgetCRD = parse(gadgetCRDJSON)
let gadgetSchema = gadgetCRD[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema"]] ?? .null

/// A Gadget object with the given spec (JSON text).
func gadgetWithSpec(_ spec: String) -> JSONValue {
    parse(#"{"apiVersion":"reference.example.com/v1","kind":"Gadget","metadata":{"name":"g","namespace":"demo"},"spec":"# + spec + "}")
}

/// A CRD whose only version has the given openAPIV3Schema (JSON text).
func crdWithSchema(_ schema: String) -> JSONValue {
    parse(#"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","kind":"Widget"},"versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":"# + schema + "}}]}}")
}

/// `field: message` lines of errors, for compact expectations.
func lines(_ errors: [FieldError]) -> [String] { errors.map(\.description) }
