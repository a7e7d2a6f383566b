"""An over-provisioned executor: two real executor JVMs (local-cluster mode) of 4 GiB each run
a job whose heap never needs more than a few hundred MiB."""
from pyspark.sql import functions as F

from common import done, session

spark = session("over-provisioned", master="local-cluster[2,1,4608]", spark_executor_memory="4g",
                spark_sql_shuffle_partitions="2")
(spark.range(0, 2_000_000, numPartitions=2)
    .withColumn("k", F.col("id") % 100)
    .groupBy("k").agg(F.sum("id").alias("total"))
    .collect())
done(spark)
