"""The excessive-partition-scan anti-pattern: a table partitioned by day, queried without a
filter on day, so that every partition (every day of a year) is listed and read."""
from pyspark.sql import functions as F

from common import done, session

spark = session("partition-scan")
(spark.range(0, 73_000)
    .withColumn("day", F.expr("date_add(date'2024-01-01', cast(id % 365 as int))"))
    .withColumn("kind", F.col("id") % 7)
    .write.mode("overwrite").partitionBy("day").format("parquet").saveAsTable("clicks"))
# The anti-pattern: every day of the year for a question about one week.
spark.table("clicks").groupBy("kind").count().collect()
# The right way, for contrast: a partition filter, 7 partitions read.
spark.table("clicks").where("day >= date'2024-03-01' and day < date'2024-03-08'").groupBy("kind").count().collect()
done(spark)
