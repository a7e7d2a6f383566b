/// `SparkListenerSQLExecutionStart`: a Dataset action and the physical plan it runs.
public struct SQLExecutionStart: Sendable, Equatable, Decodable {
    public var executionID: Int
    /// The outermost execution this one runs inside (Spark 3.5+); itself when it is a root.
    public var rootExecutionID: Int?
    public var description: String
    public var time: Int64
    public var plan: SparkPlanInfo

    enum CodingKeys: String, CodingKey {
        case executionID = "executionId", rootExecutionID = "rootExecutionId", description, time, plan = "sparkPlanInfo"
    }

    public init(executionID: Int, rootExecutionID: Int? = nil, description: String, time: Int64, plan: SparkPlanInfo) {
        self.executionID = executionID
        self.rootExecutionID = rootExecutionID
        self.description = description
        self.time = time
        self.plan = plan
    }
}

/// One node of a physical plan as Spark logs it (`SparkPlanInfo`).
public struct SparkPlanInfo: Sendable, Equatable, Decodable {
    public var nodeName: String
    public var simpleString: String
    public var children: [SparkPlanInfo]
    public var metadata: [String: String]
    public var metrics: [Metric]

    public struct Metric: Sendable, Equatable, Decodable {
        public var name: String
        public var accumulatorID: Int

        enum CodingKeys: String, CodingKey { case name, accumulatorID = "accumulatorId" }

        public init(name: String, accumulatorID: Int) {
            self.name = name
            self.accumulatorID = accumulatorID
        }
    }

    enum CodingKeys: String, CodingKey { case nodeName, simpleString, children, metadata, metrics }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nodeName = try c.decode(String.self, forKey: .nodeName)
        simpleString = try c.decodeIfPresent(String.self, forKey: .simpleString) ?? nodeName
        children = try c.decodeIfPresent([SparkPlanInfo].self, forKey: .children) ?? []
        metadata = try c.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:]
        metrics = try c.decodeIfPresent([Metric].self, forKey: .metrics) ?? []
    }

    public init(
        nodeName: String, simpleString: String, children: [SparkPlanInfo] = [], metadata: [String: String] = [:], metrics: [Metric] = []
    ) {
        self.nodeName = nodeName
        self.simpleString = simpleString
        self.children = children
        self.metadata = metadata
        self.metrics = metrics
    }

    /// Every node of the tree, this one first.
    public var allNodes: [SparkPlanInfo] {
        var nodes = [self]
        for child in children { nodes += child.allNodes }
        return nodes
    }
}
