// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

namespace Reservo {

// A stacked bar of an event's capacity: occupied, then pending, then available seats, and a
// hatched rest for seats the monitor has not seen yet (capacity known, seats not all learned).
class CapacityBar : public QWidget
{
    Q_OBJECT
public:
    explicit CapacityBar(QWidget *parent = nullptr);

    void setCounts(int available, int pending, int occupied, int capacity);
    QSize sizeHint() const override { return {240, 18}; }
    QSize minimumSizeHint() const override { return {60, 12}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_available = 0;
    int m_pending = 0;
    int m_occupied = 0;
    int m_capacity = 0;
};

} // namespace Reservo
