<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>CampaignsTab</name>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="109" />
        <source>Campaigns</source>
        <translation>营销活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="110" />
        <source>Choose who gets an e-mail about a product, a reorder reminder or a win-back. A random share is held back; after your next import the report compares those who got the e-mail with those who did not.</source>
        <translation>选择谁收到商品推荐邮件、回购提醒或召回邮件。系统会随机留出一部分客户不发送；下次导入订单后，报告会比较收到邮件和没收到邮件的客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="118" />
        <source>New campaign</source>
        <translation>新建活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="121" />
        <source>Products: customers likely to buy them</source>
        <translation>商品：最可能购买的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="122" />
        <source>Reorder reminder: customers due to buy again</source>
        <translation>回购提醒：该再次购买的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="123" />
        <source>Win-back: customers away unusually long</source>
        <translation>召回：久未下单的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="127" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="129" />
        <location filename="../../desktop/tabs/campaigns.py" line="239" />
        <source>SKUs or product ids, separated by commas</source>
        <translation>SKU 或商品编号，用逗号分隔</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="130" />
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="132" />
        <source>or a category, e.g. Coffee &gt; Beans</source>
        <translation>或一个类目，例如 咖啡 &gt; 咖啡豆</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="133" />
        <source>Category</source>
        <translation>类目</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="137" />
        <source>everyone who fits</source>
        <translation>所有符合条件的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="138" />
        <source>At most this many customers, the likeliest first</source>
        <translation>最多这么多客户，最可能购买的排在前面</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="139" />
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="143" />
        <source>Only customers at least this likely to buy</source>
        <translation>只要购买可能性至少这么高的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="144" />
        <source>At least</source>
        <translation>至少</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="150" />
        <source>Kept back at random and not e-mailed, to compare with. Without them nobody can tell whether the e-mail made a difference.</source>
        <translation>随机留出、不发邮件的客户，用来对比。没有他们，就无法判断邮件是否起了作用。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="153" />
        <source>Hold back</source>
        <translation>留出</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="157" />
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="158" />
        <source>How long after sending a purchase counts</source>
        <translation>发送后多少天内的购买算数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="159" />
        <source>Count purchases for</source>
        <translation>统计购买的天数</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="160" />
        <source>Show audience</source>
        <translation>查看客户名单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="170" />
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="170" />
        <source>Chance</source>
        <translation>可能性</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="170" />
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="176" />
        <source>Campaign name, e.g. espresso-may</source>
        <translation>活动名称，例如 五月咖啡豆</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="177" />
        <source>Create campaign</source>
        <translation>创建活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="190" />
        <source>Your campaigns</source>
        <translation>您的活动</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="197" />
        <source>Export send group…</source>
        <translation>导出发送名单…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="199" />
        <source>Write the customers to e-mail (never those held back) for your e-mail tool</source>
        <translation>为您的邮件工具导出要发送的客户（不含留出的客户）</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="204" />
        <source>Report</source>
        <translation>报告</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="206" />
        <source>Compare the e-mailed customers with those held back, from the orders imported so far</source>
        <translation>根据目前导入的订单，比较收到邮件的客户和留出的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="240" />
        <source>optional: only these products</source>
        <translation>可选：只限这些商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="263" />
        <source>products</source>
        <translation>商品</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="263" />
        <source>reorder reminder</source>
        <translation>回购提醒</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="264" />
        <source>win-back</source>
        <translation>召回</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="265" />
        <source>created</source>
        <translation>已创建</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="265" />
        <source>exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="266" />
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="266" />
        <source>ready to report</source>
        <translation>可以出报告</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="268" />
        <source>{name} · {kind} · {send} to send, {hold} held back · {state}</source>
        <translation>{name} · {kind} · 发送 {send} 人，留出 {hold} 人 · {state}</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="310" />
        <source>Choosing customers…</source>
        <translation>正在挑选客户…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="331" />
        <source>Nobody fits this audience: loosen the limits.</source>
        <translation>没有客户符合条件：请放宽限制。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="335" />
        <source>&lt;b&gt;{n} customers&lt;/b&gt;: about {e} of them are expected to buy.</source>
        <translation>&lt;b&gt;{n} 位客户&lt;/b&gt;：预计其中约 {e} 位会购买。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="338" />
        <source>The same number of random customers: about {r} (this audience: {x} times as many).</source>
        <translation>同样数量的随机客户：约 {r} 位（这份名单是其 {x} 倍）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="343" />
        <source>Sending to {s} and holding back {h}, the report can tell an effect of {d} percentage points or more (about {b} extra buyers) in 8 campaigns out of 10.</source>
        <translation>发送给 {s} 位、留出 {h} 位时，每 10 次活动中有 8 次，报告能识别出 {d} 个百分点或更大的效果（约多 {b} 位买家）。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="348" />
        <source>With nobody held back, the report cannot tell whether the e-mail made a difference.</source>
        <translation>没有留出客户，报告就无法判断邮件是否起了作用。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="351" />
        <source>Chance: {event}.</source>
        <translation>可能性的含义：{event}。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="360" />
        <source>Give the campaign a name first.</source>
        <translation>请先给活动起个名字。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="365" />
        <source>Storing the campaign…</source>
        <translation>正在保存活动…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="369" />
        <source>Campaign {name} stored: {send} to e-mail, {hold} held back. Export the send group for your e-mail tool.</source>
        <translation>活动 {name} 已保存：发送 {send} 位，留出 {hold} 位。请为您的邮件工具导出发送名单。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="387" />
        <source>Export send group</source>
        <translation>导出发送名单</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="388" />
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="394" />
        <source>Wrote {path}: {rows} customers to e-mail.</source>
        <translation>已写入 {path}：{rows} 位要发送的客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="396" />
        <source>Writing the file…</source>
        <translation>正在写入文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="406" />
        <source>Counting purchases…</source>
        <translation>正在统计购买…</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="414" />
        <source>E-mailed: {b} of {n} bought · held back: {hb} of {hn}</source>
        <translation>收到邮件：{n} 位中 {b} 位购买 · 留出：{hn} 位中 {hb} 位购买</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="416" />
        <source>Difference {d} points (95 % interval {lo} to {hi}); in the whole shop {base} % of customers bought.</source>
        <translation>差异 {d} 个百分点（95% 区间 {lo} 到 {hi}）；全店 {base}% 的客户购买了。</translation>
    </message>
</context>
<context>
    <name>SendHoldoutChart</name>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="59" />
        <source>E-mailed</source>
        <translation>收到邮件</translation>
    </message>
    <message>
        <location filename="../../desktop/tabs/campaigns.py" line="59" />
        <source>Held back</source>
        <translation>留出</translation>
    </message>
</context>
</TS>