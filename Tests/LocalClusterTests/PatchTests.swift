import Foundation
import KubeAPI
import Testing

@testable import LocalCluster

@Suite struct JSONMergePatchTests {
    /// RFC 7386, Appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfcAppendix(original: String, patch: String, expected: String) {
        #expect(JSONMergePatch.apply(parse(patch), to: parse(original)) == parse(expected))
    }
}

@Suite struct JSONPatchTests {
    /// RFC 6902, Appendix A (the successful examples).
    @Test(arguments: [
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#, #"{"baz":"qux","foo":"bar"}"#),
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, #"{"foo":["bar","qux","baz"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#, #"{"foo":"bar"}"#),
        (#"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#, #"{"foo":["bar","baz"]}"#),
        (#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#, #"{"baz":"boo","foo":"bar"}"#),
        (#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#, #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
         #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        (#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, #"{"foo":["all","cows","eat","grass"]}"#),
        (#"{"baz":"qux","foo":["a",2,"c"]}"#, #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#, #"{"baz":"qux","foo":["a",2,"c"]}"#),
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#, #"{"foo":"bar","child":{"grandchild":{}}}"#),
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, #"{"foo":"bar","baz":"qux"}"#),
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, #"{"foo":["bar",["abc","def"]]}"#),
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10}]"#, #"{"/":9,"~1":10}"#),
        (#"{"a/b":1,"m~n":2}"#, #"[{"op":"copy","from":"/a~1b","path":"/m~0n"}]"#, #"{"a/b":1,"m~n":1}"#),
        (#"{"foo":null}"#, #"[{"op":"test","path":"/foo","value":null}]"#, #"{"foo":null}"#),
    ])
    func rfcAppendix(original: String, patch: String, expected: String) throws {
        #expect(try JSONPatch.apply(parse(patch), to: parse(original)) == parse(expected))
    }

    /// RFC 6902 A.9, A.12, A.15 and other failures: the error names the operation.
    @Test(arguments: [
        (#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#, 0, "test"),
        (#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, 0, "add"),
        (#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":"10"}]"#, 0, "test"),
        (#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":1},{"op":"add","path":"/foo/9","value":2}]"#, 1, "add"),
        (#"{"a":1}"#, #"[{"op":"remove","path":"/b"}]"#, 0, "remove"),
        (#"{"a":1}"#, #"[{"op":"replace","path":"/b","value":2}]"#, 0, "replace"),
        (#"{"a":{"b":1}}"#, #"[{"op":"move","from":"/a","path":"/a/b/c"}]"#, 0, "move"),
        (#"{"a":1}"#, #"[{"op":"copy","from":"/x","path":"/y"}]"#, 0, "copy"),
        (#"{"a":1}"#, #"[{"op":"frob","path":"/a"}]"#, 0, "frob"),
        (#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/01","value":1}]"#, 0, "add"),
    ])
    func failuresNameTheOperation(original: String, patch: String, index: Int, op: String) {
        do {
            _ = try JSONPatch.apply(parse(patch), to: parse(original))
            Issue.record("expected \(op) #\(index) to fail")
        } catch {
            #expect(error.index == index && error.op == op)
            #expect(error.description.contains("\(op) operation #\(index)"))
        }
    }
}

@Suite struct StrategicMergePatchTests {
    private let pod = #"{"metadata":{"name":"p","finalizers":["a"],"labels":{"x":"1"}},"spec":{"containers":[{"name":"app","image":"v1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"side","image":"s1"}],"tolerations":[{"key":"t1"}]}}"#

    @Test(arguments: [
        ("containers merge by name",
         #"{"spec":{"containers":[{"name":"app","image":"v2"}]}}"#,
         #"{"metadata":{"name":"p","finalizers":["a"],"labels":{"x":"1"}},"spec":{"containers":[{"name":"app","image":"v2","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"side","image":"s1"}],"tolerations":[{"key":"t1"}]}}"#),
        ("new container appended, env merged by name",
         #"{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}]},{"name":"new","image":"n"}]}}"#,
         #"{"metadata":{"name":"p","finalizers":["a"],"labels":{"x":"1"}},"spec":{"containers":[{"name":"app","image":"v1","env":[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]},{"name":"side","image":"s1"},{"name":"new","image":"n"}],"tolerations":[{"key":"t1"}]}}"#),
        ("$patch delete in a merge list",
         #"{"spec":{"containers":[{"name":"side","$patch":"delete"}]}}"#,
         #"{"metadata":{"name":"p","finalizers":["a"],"labels":{"x":"1"}},"spec":{"containers":[{"name":"app","image":"v1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}],"tolerations":[{"key":"t1"}]}}"#),
        ("$patch replace on a list",
         #"{"spec":{"containers":[{"name":"only","image":"o"},{"$patch":"replace"}]}}"#,
         #"{"metadata":{"name":"p","finalizers":["a"],"labels":{"x":"1"}},"spec":{"containers":[{"name":"only","image":"o"}],"tolerations":[{"key":"t1"}]}}"#),
        ("$patch replace and delete on maps; tolerations replaced; null deletes",
         #"{"metadata":{"labels":{"y":"2","$patch":"replace"}},"spec":{"tolerations":[{"key":"t2"}],"containers":null}}"#,
         #"{"metadata":{"name":"p","finalizers":["a"],"labels":{"y":"2"}},"spec":{"tolerations":[{"key":"t2"}]}}"#),
        ("finalizers merge as a set; $deleteFromPrimitiveList",
         #"{"metadata":{"finalizers":["b","a"],"$deleteFromPrimitiveList/finalizers":["a"]}}"#,
         #"{"metadata":{"name":"p","finalizers":["b"],"labels":{"x":"1"}},"spec":{"containers":[{"name":"app","image":"v1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"side","image":"s1"}],"tolerations":[{"key":"t1"}]}}"#),
        ("$setElementOrder orders the merged list",
         #"{"spec":{"$setElementOrder/containers":[{"name":"side"},{"name":"app"}],"containers":[{"name":"side","image":"s2"}]}}"#,
         #"{"metadata":{"name":"p","finalizers":["a"],"labels":{"x":"1"}},"spec":{"containers":[{"name":"side","image":"s2"},{"name":"app","image":"v1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}],"tolerations":[{"key":"t1"}]}}"#),
        ("$retainKeys drops other fields",
         #"{"spec":{"$retainKeys":["containers"],"tolerations":null}}"#,
         #"{"metadata":{"name":"p","finalizers":["a"],"labels":{"x":"1"}},"spec":{"containers":[{"name":"app","image":"v1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"side","image":"s1"}]}}"#),
    ])
    func podCases(name: String, patch: String, expected: String) throws {
        let result = try StrategicMergePatch.apply(parse(patch), to: parse(pod), schema: .forKind("Pod"))
        #expect(result == parse(expected), "\(name)")
    }

    @Test func setElementOrderKeepsServerOnlyItemsInPlace() throws {
        let original = parse(#"{"spec":{"containers":[{"name":"a"},{"name":"server"},{"name":"b"}]}}"#)
        let patch = parse(#"{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"b","image":"x"}]}}"#)
        let result = try StrategicMergePatch.apply(patch, to: original, schema: .forKind("Pod"))
        #expect(result[path: ["spec", "containers"]] == parse(#"[{"name":"server"},{"name":"b","image":"x"},{"name":"a"}]"#))
    }

    @Test func servicePortsMergeByPort() throws {
        let original = parse(#"{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}"#)
        let patch = parse(#"{"spec":{"ports":[{"port":443,"targetPort":8443}]}}"#)
        let result = try StrategicMergePatch.apply(patch, to: original, schema: .forKind("Service"))
        #expect(result == parse(#"{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https","targetPort":8443}]}}"#))
    }

    @Test func configMapPatchFromTheReference() throws {
        // reference/kube-api/03-apply-gadget 027 (before), 028 (kubectl's patch and the answer),
        // without managedFields and resourceVersion, which the server sets.
        let original = parse(#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"settings","namespace":"demo","uid":"f9b5b4df-8a4d-44e3-874e-f682f159ce42","creationTimestamp":"2026-11-22T10:42:50Z","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"v1\",\"data\":{\"a\":\"1\",\"b\":\"2\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"settings\",\"namespace\":\"demo\"}}\n"}},"data":{"a":"1","b":"2"}}"#)
        let patch = parse(#"{"data":{"a":"10","b":null,"c":"3"},"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"v1\",\"data\":{\"a\":\"10\",\"c\":\"3\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"settings\",\"namespace\":\"demo\"}}\n"}}}"#)
        let result = try StrategicMergePatch.apply(patch, to: original, schema: .forKind("ConfigMap"))
        #expect(result == parse(#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"settings","namespace":"demo","uid":"f9b5b4df-8a4d-44e3-874e-f682f159ce42","creationTimestamp":"2026-11-22T10:42:50Z","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\"apiVersion\":\"v1\",\"data\":{\"a\":\"10\",\"c\":\"3\"},\"kind\":\"ConfigMap\",\"metadata\":{\"annotations\":{},\"name\":\"settings\",\"namespace\":\"demo\"}}\n"}},"data":{"a":"10","c":"3"}}"#))
    }
}
