import KubeAPI
import Testing

@Suite struct RequestResourceTests {
    @Test(arguments: [
        ("/api/v1/namespaces/demo/pods", "pods"),
        ("/api/v1/namespaces/demo/pods/p1", "pods"),
        ("/api/v1/namespaces/demo/pods/p1/status", "pods/status"),
        ("/api/v1/namespaces/demo/pods/p1/log", "pods/log"),
        ("/apis/slipway.dev/v1alpha1/namespaces/demo/batchjobs/b1/status", "batchjobs/status"),
        ("/apis/slipway.dev/v1alpha1/batchjobs", "batchjobs"),
        ("/apis/slipway.dev/v1alpha1/jobqueues/q1/status", "jobqueues/status"),
        ("/api/v1/nodes/n1", "nodes"),
        ("/api/v1/namespaces/demo", "namespaces"),
        ("/api/v1/namespaces", "namespaces"),
        ("/api/v1/pods?watch=1", "pods"),
        ("/apis/coordination.k8s.io/v1/namespaces/s/leases/l", "leases"),
        ("/api", "other"), ("/apis/slipway.dev/v1alpha1", "other"), ("/version", "other"), ("", "other"),
    ])
    func resourceOfAPath(path: String, expected: String) {
        #expect(RequestResource.of(path: path) == expected)
    }
}
